"""The anonymization engine over data: DuckDB for the scans, numpy for the search.

The input is reduced once to its distinct quasi-identifier combinations with counts (one
DuckDB GROUP BY); both algorithms then work on that frequency table, vectorized, and one
more DuckDB pass writes the output. Nothing in here loops over rows in Python.
"""
