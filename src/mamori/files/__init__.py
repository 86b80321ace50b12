"""Adapter: the local filesystem — backups of the ledger and lake, and evidence files."""
