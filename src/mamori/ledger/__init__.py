"""The system of record: SQLAlchemy 2 + Alembic; SQLite by default, PostgreSQL in production."""
