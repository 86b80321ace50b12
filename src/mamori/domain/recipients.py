"""Recipients of data and their relation to the provider (third party, entrustee, joint user)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Relation(StrEnum):
    """How a recipient stands to the provider under Art. 27(5)."""

    THIRD_PARTY = "third_party"
    ENTRUSTEE = "entrustee"  # 委託先
    JOINT_USER = "joint_user"  # 共同利用者


# Countries whose system the PPC recognises as equivalent (外国第三者提供編 3): the EU/EEA and
# the UK. A recipient there counts as domestic for APPI-28.
EQUIVALENT_COUNTRIES: frozenset[str] = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",  # EEA
        "GB",
        "UK",
    }
)
HOME_COUNTRY = "JP"


def is_abroad(country: str) -> bool:
    """Tell whether APPI-28 treats a recipient's country as abroad."""
    code = country.strip().upper()
    return code != HOME_COUNTRY and code not in EQUIVALENT_COUNTRIES


@dataclass(frozen=True, slots=True)
class Recipient:
    """A recipient of a provision; name/address/representative feed the APPI-29 record."""

    id: str
    category: str
    country: str = HOME_COUNTRY
    relation: Relation = Relation.THIRD_PARTY
    will_link: bool = False  # personal-related information the recipient will link (Art. 31)
    consent_confirmed: bool = False  # provider confirmed the recipient's consent (Art. 31)
    name: str = ""
    address: str = ""
    representative: str = ""

    @property
    def abroad(self) -> bool:
        """Tell whether the recipient is abroad for APPI-28."""
        return is_abroad(self.country)
