"""Incidents (漏えい等事案): reportability, deadlines and the response flow."""
