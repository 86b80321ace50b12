"""The data plane: ingest, normalize, match identities, profile, anonymize, aggregate, over Parquet."""
