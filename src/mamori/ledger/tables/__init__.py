"""Every table of the ledger, one module per area, all on one MetaData."""

from mamori.ledger.tables import audit, consent, datasets, incidents, insight, notices, portal, provision
from mamori.ledger.tables.base import metadata

__all__ = [
    "audit",
    "consent",
    "datasets",
    "incidents",
    "insight",
    "metadata",
    "notices",
    "portal",
    "provision",
]
