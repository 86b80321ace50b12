"""Incident use cases: open, record, amend facts, advance, report — over the incident ports."""
