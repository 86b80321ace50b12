"""The one MetaData of the ledger, with a naming convention so migrations name constraints."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Ledger positions are application-assigned (under the writer lock) so that an audit entry can
# name the exact range it covers; SQLite wants INTEGER for a rowid alias.
Position = BigInteger().with_variant(Integer(), "sqlite")
