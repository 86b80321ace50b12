"""Identity resolution: deterministic links, Fellegi–Sunter linkage, clustering into persons.

records        read LEFT/RIGHT files (CSV/Parquet, mapping file), normalize with intake's normalizers
keyed          HMAC-SHA256 identifiers for clients who must not send raw ones
deterministic  links on normalized email / phone, unless name or birth date contradict them
probabilistic  Splink (Fellegi–Sunter, parameters estimated from the data) with Japan-aware levels
clusters       links into persons with unified subject ids that stay stable across runs
pipeline       the stages together, the report, and the LINKS file
"""
