"""Provision to others as pure definitions: record items, retention, lineage ids, safe cells."""
