"""Statistics for consultants: cross-tables across organisations, and records exchanged as CSV."""

from __future__ import annotations

from datetime import date

from mamori.domain.incidents.classification import InfectionRoute, OrgSize
from mamori.domain.incidents.facts import Cause
from mamori.domain.incidents.stats import Dimension, IncidentRecord, record_of, tabulate
from mamori.services.incidents.records import read_records, write_records
from mamori.services.incidents.usecases import IncidentService
from tests.incidents.conftest import open_ransomware

R = IncidentRecord
RECORDS = [
    R("shop-a", OrgSize.SME, Cause.RANSOMWARE, InfectionRoute.VPN_APPLIANCE, date(2024, 1, 10), 500, True),
    R("shop-b", OrgSize.SME, Cause.RANSOMWARE, InfectionRoute.REMOTE_DESKTOP, date(2024, 2, 1), 2000, True),
    R("bank-c", OrgSize.LARGE, Cause.MISDELIVERY, InfectionRoute.NOT_APPLICABLE, date(2024, 2, 3), 20, False),
    R(
        "shop-a",
        OrgSize.SME,
        Cause.UNAUTHORIZED_ACCESS,
        InfectionRoute.VPN_APPLIANCE,
        date(2024, 4, 2),
        30,
        True,
    ),
    R(
        "bank-c",
        OrgSize.LARGE,
        Cause.LOST_DEVICE,
        InfectionRoute.NOT_APPLICABLE,
        date(2025, 1, 5),
        1500,
        True,
    ),
]


def test_counts_by_cause_sum_to_the_input() -> None:
    rows = tabulate(RECORDS, [Dimension.CAUSE])
    assert {r.key[0]: r.incidents for r in rows} == {
        "lost_device": 1, "misdelivery": 1, "ransomware": 2, "unauthorized_access": 1,
    }  # fmt: skip
    assert sum(r.incidents for r in rows) == len(RECORDS)
    ransomware = next(r for r in rows if r.key == ("ransomware",))
    assert (ransomware.persons, ransomware.reportable, ransomware.organisations) == (2500, 2, 2)


def test_cross_table_by_size_and_route_and_by_period() -> None:
    rows = tabulate(RECORDS, [Dimension.SIZE, Dimension.ROUTE])
    assert ("sme", "vpn_appliance") in {r.key for r in rows}
    vpn = next(r for r in rows if r.key == ("sme", "vpn_appliance"))
    assert (vpn.incidents, vpn.organisations) == (2, 1)
    assert [r.key for r in tabulate(RECORDS, [Dimension.QUARTER])] == [
        ("2024-Q1",),
        ("2024-Q2",),
        ("2025-Q1",),
    ]
    assert [r.incidents for r in tabulate(RECORDS, [Dimension.MONTH])] == [1, 2, 1, 1]


def test_incidents_reduce_to_records_without_personal_data(service: IncidentService) -> None:
    record = record_of(open_ransomware(service))
    assert record == R(
        "example-shop",
        OrgSize.SME,
        Cause.RANSOMWARE,
        InfectionRoute.VPN_APPLIANCE,
        date(2022, 10, 3),
        500,
        True,
    )


def test_csv_round_trips_and_bad_rows_are_quarantined_with_line_and_field() -> None:
    text = write_records(RECORDS)
    batch = read_records(text, "a.csv")
    assert batch.accepted == RECORDS and not batch.quarantined
    broken = (
        text
        + "shop-z,tiny,ransomware,vpn_appliance,2024-01-01,1,true\nshop-y,sme,theft,insider,2024-13-01,1,false\n"
    )
    batch = read_records(broken, "b.csv")
    assert batch.rows_in == len(RECORDS) + 2 and len(batch.accepted) == len(RECORDS)
    assert [(e.line, e.field) for e in batch.quarantined] == [(7, "org_size"), (8, "aware_on")]
    assert batch.quarantined[0].file == "b.csv"
