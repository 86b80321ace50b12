"""The `mamori` command line: every operator job, with progress on long work."""
