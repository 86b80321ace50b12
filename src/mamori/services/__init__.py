"""Use cases: the transaction boundary, over the domain and the ports they need."""
