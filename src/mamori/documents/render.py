"""Render the PPC report and the notices as JSON, HTML and PDF.

HTML goes through Jinja2 with autoescaping (incident text is user input). The PDF uses
reportlab's built-in CID fonts (HeiseiMin-W3 for text, HeiseiKakuGo-W5 for headings): Adobe's
Japanese fonts every PDF reader has, so no font file is shipped and it works offline.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, PackageLoader, select_autoescape
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from mamori.domain.incidents.report import PpcReport, ReportKind, SubjectNotice

Document = PpcReport | SubjectNotice
BODY_FONT, HEADING_FONT = "HeiseiMin-W3", "HeiseiKakuGo-W5"

_env = Environment(
    loader=PackageLoader("mamori.documents", "templates"), autoescape=select_autoescape(["html"])
)


def _titles(doc: Document) -> tuple[str, str]:
    if isinstance(doc, SubjectNotice):
        return (
            "個人情報の漏えい等に関するお知らせとお詫び",
            "Notice about an incident involving your personal data",
        )
    if doc.kind is ReportKind.PRELIMINARY:
        return "個人データの漏えい等事案の報告（速報）", "Report of a personal data breach (preliminary)"
    return "個人データの漏えい等事案の報告（確報）", "Report of a personal data breach (final)"


def to_json(doc: Document) -> dict[str, Any]:
    """Return the document as a JSON-ready dict (dates as ISO strings)."""
    data = dataclasses.asdict(doc)
    data["prepared_on"] = doc.prepared_on.isoformat()
    data["title_ja"], data["title_en"] = _titles(doc)
    return data


def to_html(doc: Document) -> str:
    """Render the document as a standalone, printable HTML page."""
    title_ja, title_en = _titles(doc)
    return _env.get_template("ppc_report.html").render(
        doc=doc, title_ja=title_ja, title_en=title_en, rules=doc.rules
    )


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (BODY_FONT, HEADING_FONT):
        if name not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def _header(doc: Document, style: ParagraphStyle) -> list[Any]:
    lines = []
    if isinstance(doc, PpcReport):
        r = doc.reporter
        lines.append(doc.addressee)
        lines.append(f"報告者 / reporter: {r.business or doc.organisation}")
        for label, value in (
            ("所在地 / address", r.address),
            ("代表者 / representative", r.representative),
            ("連絡先 / contact", r.contact),
        ):
            if value:
                lines.append(f"{label}: {value}")
    else:
        lines.append(f"事業者 / business: {doc.organisation}")
    lines.append(f"事案番号 / incident: {doc.incident_id}　作成日 / prepared: {doc.prepared_on}")
    return [Paragraph(escape(line), style) for line in lines]


def to_pdf(doc: Document) -> bytes:
    """Render the document as an A4 PDF with Japanese fonts."""
    _register_fonts()
    # wordWrap="CJK" lets lines break between any two Japanese characters.
    body = ParagraphStyle("body", fontName=BODY_FONT, fontSize=10, leading=15, wordWrap="CJK")
    english = ParagraphStyle("en", parent=body, fontSize=8.5, leading=12, textColor=HexColor("#555555"))
    heading = ParagraphStyle(
        "h", fontName=HEADING_FONT, fontSize=11.5, leading=17, spaceBefore=6, wordWrap="CJK"
    )
    title = ParagraphStyle("t", parent=heading, fontSize=15, leading=22)
    title_ja, title_en = _titles(doc)
    flow: list[Any] = [
        Paragraph(escape(title_ja), title),
        Paragraph(escape(title_en), english),
        Spacer(1, 4 * mm),
        *_header(doc, body),
        Paragraph(escape(f"根拠: {', '.join(doc.rules)}"), english),
    ]
    for item in doc.items:
        flow.append(Paragraph(escape(f"{item.number}. {item.title_ja} / {item.title_en}"), heading))
        flow += [Paragraph("・" + escape(line), body) for line in item.lines_ja]
        flow += [Paragraph("- " + escape(line), english) for line in item.lines_en]
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title_ja} {doc.incident_id}",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    pdf.build(flow)
    return buffer.getvalue()


def to_text(doc: Document) -> str:
    """Render the document as plain text (an email body), Japanese first, then English."""
    title_ja, title_en = _titles(doc)
    ja = [title_ja, ""]
    en = [title_en, ""]
    for item in doc.items:
        ja.append(f"■ {item.title_ja}")
        ja += [f"  {line}" for line in item.lines_ja]
        en.append(f"* {item.title_en}")
        en += [f"  {line}" for line in item.lines_en]
    return "\n".join([*ja, "", "-" * 40, "", *en, ""])
