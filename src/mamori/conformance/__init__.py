"""Executable legal scenarios (shared/conformance/): read, answer, judge."""
