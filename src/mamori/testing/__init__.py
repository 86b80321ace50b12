"""Supported test helpers: fakes of the ports and a throwaway PostgreSQL server."""
