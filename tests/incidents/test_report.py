"""The PPC report's nine items and the notice to the persons, as JSON, HTML and PDF."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from mamori.documents.render import to_html, to_json, to_pdf
from mamori.domain.incidents.classification import Audience
from mamori.domain.incidents.events import HelpDeskOpened, NotificationTaskDone
from mamori.domain.incidents.flow import Step
from mamori.domain.incidents.report import NOTICE_ITEMS, ReportKind, build_notice, build_report
from mamori.domain.incidents.state import Incident
from mamori.services.incidents.usecases import IncidentService
from tests.incidents.conftest import AWARE, fill_step, open_ransomware

PREPARED = date(2022, 10, 5)


@pytest.fixture
def investigated(service: IncidentService) -> Incident:
    incident = open_ransomware(service, persons=1500)
    while incident.step is not Step.NOTIFICATION:
        incident = service.advance(fill_step(service, incident).id, "officer")
    service.record(incident.id, "officer", HelpDeskOpened, contact="0120-000-000", hours="平日 9-17時")
    service.record(
        incident.id, "officer", NotificationTaskDone, audience=Audience.PPC_PRELIMINARY, done_at=AWARE
    )
    return service.get(incident.id)


def test_PPC_RULE_8_3_the_report_carries_the_nine_items_in_order(investigated: Incident) -> None:
    report = build_report(investigated, ReportKind.FINAL, PREPARED)
    assert [i.number for i in report.items] == list(range(1, 10))
    assert [i.key for i in report.items] == [
        "overview", "items", "persons", "cause", "secondary_damage",
        "response_to_persons", "publication", "prevention", "other",
    ]  # fmt: skip
    by_key = {i.key: i for i in report.items}
    assert by_key["persons"].lines_ja == ("1,500人（おそれを含む最大数）",)
    assert any("規則第7条第3号" in line for line in by_key["overview"].lines_ja)
    assert any("規則第7条第4号" in line for line in by_key["overview"].lines_ja)
    assert any("VPN 機器" in line for line in by_key["cause"].lines_ja)
    assert by_key["publication"].lines_ja == ("予定なし",)
    assert {"PPC-RULE-8-3", "PPC-RULE-8-2", "PPC-RULE-7-3", "PPC-RULE-7-4"} <= set(report.rules)
    assert all(item.lines_ja and item.lines_en for item in report.items)


def test_PPC_RULE_8_1_a_preliminary_report_says_what_is_not_known_yet(service: IncidentService) -> None:
    report = build_report(open_ransomware(service), ReportKind.PRELIMINARY, PREPARED)
    secondary = next(i for i in report.items if i.key == "secondary_damage")
    assert secondary.lines_ja == ("調査中",) and secondary.lines_en == ("under investigation",)
    assert "PPC-RULE-8-1" in report.rules


def test_APPI_26_2_the_notice_carries_only_items_1_2_4_5_and_9(investigated: Incident) -> None:
    notice = build_notice(investigated, PREPARED)
    assert tuple(i.number for i in notice.items) == NOTICE_ITEMS == (1, 2, 4, 5, 9)
    text = json.dumps(to_json(notice), ensure_ascii=False)
    assert "1,500" not in text  # the count (item 3) is not for the persons
    assert "規則第7条" not in text and "経緯 2022" not in text and "発見者" not in text
    other = notice.items[-1]
    assert any("0120-000-000" in line for line in other.lines_ja)
    assert any("パスワード" in line for line in other.lines_ja)
    assert notice.rules == ("APPI-26-2",)


def test_PPC_RULE_8_3_html_is_escaped_and_shows_every_item(
    investigated: Incident, service: IncidentService
) -> None:
    from mamori.domain.incidents.events import SecondaryDamageAssessed

    service.record(investigated.id, "x", SecondaryDamageAssessed, text="<script>alert(1)</script>")
    html = to_html(build_report(service.get(investigated.id), ReportKind.FINAL, PREPARED))
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert all(f'id="item-{n}"' in html for n in range(1, 10))
    assert "個人データの漏えい等事案の報告（確報）" in html


def test_PPC_RULE_8_3_the_pdf_renders_japanese_text(investigated: Incident) -> None:
    pdf = to_pdf(build_report(investigated, ReportKind.PRELIMINARY, PREPARED))
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for phrase in (
        "個人データの漏えい等事案の報告（速報）",
        "本人の数",
        "1,500人",
        "再発防止のための措置",
        "ランサムウェア",
    ):
        assert phrase in text, phrase
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # fonts are referenced, none embedded: the CID fonts come with every reader


def test_APPI_26_2_the_notice_pdf_is_in_japanese_and_english(investigated: Incident) -> None:
    reader = PdfReader(io.BytesIO(to_pdf(build_notice(investigated, PREPARED))))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "お知らせとお詫び" in text.replace(" ", "") and "Notice about an incident" in text


def test_PPC_RULE_8_3_the_report_names_the_reporter_and_the_addressee(investigated: Incident) -> None:
    from mamori.domain.incidents.report import Reporter

    reporter = Reporter(
        "例示ショップ株式会社", "東京都千代田区1-1", "代表取締役 例示太郎", "情報管理部 03-0000-0000"
    )
    report = build_report(investigated, ReportKind.FINAL, PREPARED, reporter=reporter)
    html = to_html(report)
    assert "個人情報保護委員会 御中" in html and "代表取締役 例示太郎" in html
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages).replace(" ", "")
    assert "例示ショップ株式会社" in text and "個人情報保護委員会御中" in text
    assert to_json(report)["reporter"]["address"] == "東京都千代田区1-1"
    assert build_report(investigated, ReportKind.FINAL, PREPARED).reporter.business == "example-shop"
