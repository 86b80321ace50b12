"""The data plane: Parquet datasets, DuckDB by default and Spark for scale-out."""
