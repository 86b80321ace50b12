"""One module per command group; each exposes `register(app)`.

`COMMAND_MODULES` says which module registers each top-level command, so that `mamori X` imports
only the module of X (start-up is part of every command's time); `--help` and unknown words
import them all. A test keeps the map equal to what the modules register.
"""

COMMAND_MODULES: dict[str, str] = {
    "anonymize": "anonymize",
    "audit": "audit",
    "backup": "backup",
    "backups": "backup",
    "restore": "backup",
    "catalog": "catalog",
    "check": "check",
    "consent": "consent",
    "decide": "decide",
    "demo": "demo",
    "hash": "hash",
    "incident": "incident",
    "ingest": "ingest",
    "insight": "insight",
    "match": "match",
    "outbox": "outbox",
    "provide": "provide",
    "provisions": "provide",
    "provisions-export": "records_export",
    "receive": "provide",
    "pseudonymize": "pseudonymize",
    "psi": "psi",
    "scan": "scan",
    "serve": "serve",
    "snapshot": "snapshot",
    "synth": "synth",
}
