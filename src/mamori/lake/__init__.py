"""The data plane: ingest, normalize, detect PII and publish Parquet datasets (DuckDB or Spark)."""
