"""Append-only tables on PostgreSQL: the one trigger every area's migration puts on its records.

Records the law asks to keep (consent evidence, provision records, incident logs, releases) are
never updated or deleted; on PostgreSQL a statement trigger refuses it even to a direct SQL
client. SQLite has no such guard: there the audit chain is what shows a change.
"""

from __future__ import annotations

from alembic import op

_REFUSE_FN = """
CREATE OR REPLACE FUNCTION mamori_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'mamori: % on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def create_refusal_function() -> None:
    """Create the trigger function (revision 0001 does it once for every area)."""
    if _postgresql():
        op.execute(_REFUSE_FN)


def drop_refusal_function() -> None:
    """Drop the trigger function (downgrade of revision 0001)."""
    if _postgresql():
        op.execute("DROP FUNCTION IF EXISTS mamori_refuse_change()")


def refusal_trigger(table: str) -> str:
    """The statement that guards one table; the ledger also runs it on each new partition it makes.

    A statement trigger on a partitioned table fires only for statements that name that table,
    so every partition carries its own.
    """
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION mamori_refuse_change()"
    )


def refuse_changes(*tables: str) -> None:
    """Refuse UPDATE, DELETE and TRUNCATE on the tables."""
    if _postgresql():
        for table in tables:
            op.execute(refusal_trigger(table))


def allow_changes(*tables: str) -> None:
    """Remove the guard (downgrades only)."""
    if _postgresql():
        for table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
