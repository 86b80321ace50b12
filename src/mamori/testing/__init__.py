"""Supported test helpers: in-memory fakes of the ports and a throwaway PostgreSQL server."""
