"""The clean room on the data plane: features, lifestyle scores and insight aggregates over Parquet."""
