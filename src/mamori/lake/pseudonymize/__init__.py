"""Pseudonymized information (仮名加工情報): keyed tokens with the key held apart (PPC Rule 31)."""
