"""Anonymization as pure definitions: column roles, Rule 34 steps, privacy models, hierarchies."""
