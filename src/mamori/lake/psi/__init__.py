"""Private set intersection (ECDH over ristretto255): the overlap of two lists, and nothing else.

group     batch hash-to-group and blinding on libsodium (via rbcl), spread over threads
wire      the one binary framing of every message, on files and over HTTP
protocol  the platform's and the client's steps, and what each keeps secret
elements  identifiers from a customer file, normalized as intake does, as protocol elements
http      the exchange between two mamori instances over HTTP on 127.0.0.1

docs/match.md states the threat model (semi-honest parties) and what each side learns.
"""
