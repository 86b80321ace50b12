"""mamori — a consent-first customer data platform for Japan (APPI-compliant by construction)."""

__version__ = "0.1.0"
