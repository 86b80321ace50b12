"""One module per command group; each exposes `register(app)` and is found automatically."""
