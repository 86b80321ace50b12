"""E-mail addresses in one canonical form: NFKC, trimmed, lower-case, exactly one address.

The reference check is the `email-validator` library (RFC 5321/5322 syntax, IDNA domains,
special-use names such as .invalid refused); the vectorized fast path accepts only the
plain ASCII dot-atom addresses that library accepts unchanged.

Lower-casing the local part is a product decision: RFC 5321 lets a server treat it as
case-sensitive, but no Japanese consumer provider does, and matching needs one form.
"""

from __future__ import annotations

import re

import email_validator
import polars as pl

from mamori.lake.normalize._vector import fill_unusual, nfkc, nfkc_series

# Providers whose local part ignores dots and "+tag" (documented provider behaviour);
# applied only when a caller opts in, because for other domains these are different boxes.
DOT_AND_PLUS_INSENSITIVE = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}

_ATEXT = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_FAST = rf"^{_ATEXT}+(?:\.{_ATEXT}+)*@(?:{_LABEL}\.)+[a-z]{{2,63}}$"
_SPECIAL_USE = "|".join(re.escape(d) for d in email_validator.SPECIAL_USE_DOMAIN_NAMES)
_SPECIAL = rf"(?:^|[.@])(?:{_SPECIAL_USE})$"


def normalize_email(text: str | None, *, provider_rules: bool = False) -> str | None:
    """Return the canonical address, or None when the text is not exactly one valid address."""
    if text is None:
        return None
    candidate = nfkc(str(text)).lower()
    if candidate.count("@") != 1:
        return None
    try:
        checked = email_validator.validate_email(candidate, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    address = checked.normalized.lower()
    return _apply_provider_rules(address) if provider_rules else address


def _apply_provider_rules(address: str) -> str:
    local, _, domain = address.rpartition("@")
    canonical_domain = DOT_AND_PLUS_INSENSITIVE.get(domain)
    if canonical_domain is None:
        return address
    local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{canonical_domain}"


def normalize_email_series(raw: pl.Series, *, provider_rules: bool = False) -> pl.Series:
    """Vectorized `normalize_email`: plain ASCII addresses in polars, the rest per value."""
    lowered = nfkc_series(raw).str.to_lowercase()
    local_len = lowered.str.split("@").list.first().str.len_bytes()
    plain = (
        lowered.str.contains(_FAST)
        & ~lowered.str.contains(_SPECIAL)
        & (lowered.str.len_bytes() <= 254)
        & (local_len <= 64)
    )
    fast = pl.select(pl.when(plain).then(lowered).otherwise(None)).to_series()
    if provider_rules:
        fast = _provider_rules_series(fast)
    return fill_unusual(
        raw,
        fast.alias(raw.name),
        lambda v: normalize_email(v, provider_rules=provider_rules),
        lambda t: nfkc_series(t).str.count_matches("@", literal=True) == 1,
    )


def _provider_rules_series(addresses: pl.Series) -> pl.Series:
    parts = addresses.str.splitn("@", 2).struct.rename_fields(["local", "domain"]).struct.unnest()
    domain = parts["domain"].replace_strict(DOT_AND_PLUS_INSENSITIVE, default=None)
    folded = parts["local"].str.replace(r"\+.*$", "").str.replace_all(".", "", literal=True)
    return pl.select(
        pl.when(domain.is_not_null()).then(folded + "@" + domain).otherwise(addresses)
    ).to_series()
