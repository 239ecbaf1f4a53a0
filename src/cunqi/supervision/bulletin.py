"""The monthly bulletin's three files, written from its figures (``selectors.bulletins``):
a Word document in the style of a government bulletin, an Excel annex with the tables, and
a PDF. Documents are written in the active language; the CJK font shipped in
``static/vendor/fonts`` renders the PDF and the chart.
"""

import base64
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from cunqi.core import ratios
from cunqi.supervision.models import Card
from cunqi.supervision.selectors.bulletins import BulletinData, Ranked, compute, month_end

FONT = Path(settings.BASE_DIR) / "src/cunqi/static/vendor/fonts/NotoSansSC-Regular.ttf"


def wan(amount: Decimal) -> str:
    """Yuan as 万元 with two places, as bulletins state money."""
    return f"{ratios.in_wan(amount):,}"


def chart_png(data: BulletinData) -> bytes:
    """Completion rate by zone, as a bar chart (matplotlib with the shipped CJK font)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font_manager.fontManager.addfont(str(FONT))
    family = font_manager.FontProperties(fname=str(FONT)).get_name()
    with plt.rc_context({"font.family": family, "svg.hashsalt": "cunqi"}):
        figure, axes = plt.subplots(figsize=(6.4, 2.8), dpi=150)
        names = [zone.name for zone in data.zones]
        rates = [float(zone.rate) for zone in data.zones]
        bars = axes.barh(names[::-1], rates[::-1], color="#206bc4")
        axes.bar_label(bars, labels=[f"{rate:.1f}%" for rate in rates[::-1]], padding=3)
        axes.set_xlim(0, max([100.0, *rates]) * 1.15)
        axes.set_xlabel(_("investment completed against plan to date (%)"))
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        plt.close(figure)
    return buffer.getvalue()


def render_docx(data: BulletinData, chart: bytes) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, not Letter
    section.left_margin = section.right_margin = Cm(2.8)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)

    def run_font(
        run: Run, east_asian: str, size: float, bold: bool = False, colour: RGBColor | None = None
    ):
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Times New Roman"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), east_asian)
        if colour:
            run.font.color.rgb = colour

    def paragraph(
        text: str,
        east_asian: str = "仿宋",
        size: float = 16,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = None,
        colour: RGBColor | None = None,
    ):
        block = document.add_paragraph()
        if align is not None:
            block.alignment = align
        run_font(block.add_run(text), east_asian, size, bold, colour)
        return block

    red = RGBColor(0xC0, 0x00, 0x00)
    paragraph(
        _("Village–Enterprise Pairing Monthly Bulletin"),
        "方正小标宋简体",
        26,
        True,
        WD_ALIGN_PARAGRAPH.CENTER,
        red,
    )
    paragraph(
        _("Issue %(number)s, %(year)s") % {"number": data.number, "year": data.month.year},
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    paragraph(
        _("Pairing task force · %(date)s") % {"date": date_format(data.issued_on)},
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    for heading, lines in sections(data):
        paragraph(heading, "黑体", 16)
        for line in lines:
            paragraph(line)
    document.add_picture(io.BytesIO(chart), width=Cm(15))

    for title, header, rows in tables(data):
        paragraph(title, "黑体", 14)
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            run_font(cell.paragraphs[0].add_run(str(text)), "黑体", 10.5, True)
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                run_font(cell.paragraphs[0].add_run(str(value)), "仿宋", 10.5)
    core = document.core_properties
    core.title = _("Monthly bulletin %(month)s") % {"month": data.title_month}
    core.author = core.last_modified_by = "Cunqi"
    # Fixed timestamps: the same month generated twice gives the same file contents.
    stamp = month_end(data.month)
    core.created = core.modified = datetime(stamp.year, stamp.month, stamp.day)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sections(data: BulletinData) -> list[tuple[str, list[str]]]:
    """The bulletin's text, section by section (shared by the Word file and the PDF)."""
    yellow = data.yellow_below
    next_steps = [
        _("Towns with red cards submit rectification plans within ten days."),
        _(
            "Projects below %(threshold)s%% of planned investment report how they will catch up "
            "with their next monthly report."
        )
        % {"threshold": f"{yellow:g}" if yellow is not None else "90"},
        _("Monthly reports for the next month are due on day %(day)s of the month after.")
        % {"day": data.due_day},
    ]
    return [
        (
            _("1. Overall progress"),
            [
                _(
                    "%(pairings)s pairings are active, %(leaders)s of them with a city leader; "
                    "%(landed)s projects have landed, %(demonstration)s of them demonstration projects."
                )
                % {
                    "pairings": data.active_pairings,
                    "leaders": data.pairings_with_leader,
                    "landed": data.projects_landed,
                    "demonstration": data.demonstration_projects,
                },
                _(
                    "By the end of %(month)s, %(completed)s of the %(planned)s (10,000 yuan) planned "
                    "to date had been invested (%(rate)s%%); %(in_month)s in the month itself."
                )
                % {
                    "month": data.title_month,
                    "completed": wan(data.completed_to_date),
                    "planned": wan(data.planned_to_date),
                    "rate": data.completion_rate,
                    "in_month": wan(data.completed_in_month),
                },
                _(
                    "Monthly reports of the %(expected)s projects being built or run: "
                    "%(on_time)s accepted and on time, %(late)s accepted but late, "
                    "%(awaiting)s awaiting review, %(returned)s returned for changes, "
                    "%(missing)s not submitted."
                )
                % {
                    "expected": data.reports_expected,
                    "on_time": data.reports_on_time,
                    "late": data.reports_late,
                    "awaiting": data.reports_awaiting_review,
                    "returned": data.reports_returned,
                    "missing": data.reports_missing,
                },
            ],
        ),
        (
            _("2. Rankings"),
            [
                _("Zones by investment completed against plan: %(ranking)s.")
                % {"ranking": _(", ").join(f"{zone.name} {zone.rate}%" for zone in data.zones)},
                _("Leading towns: %(towns)s.")
                % {"towns": _(", ").join(town.name for town in data.towns[:3])},
            ],
        ),
        (
            _("3. Red, yellow and green cards"),
            [
                # Each card once: named in the annex's table, counted here.
                _(
                    "%(red)s red, %(yellow)s yellow and %(green)s green cards are open; "
                    "Table 3 lists them."
                )
                % {colour.value: len(data.cards_of(colour)) for colour in Card.Colour}
            ],
        ),
        (_("4. Next steps"), next_steps),
    ]


def tables(data: BulletinData) -> list[tuple[str, list[str], list[list]]]:
    """The annex tables (shared by the Word file, the PDF and the Excel annex)."""
    ranking_header = [
        _("rank"),
        _("name"),
        _("planned to date (10,000 yuan)"),
        _("completed to date (10,000 yuan)"),
        _("rate (%)"),
        _("completed in the month (10,000 yuan)"),
    ]

    def ranking(rows: list[Ranked]) -> list[list]:
        return [
            [n, r.name, wan(r.planned), wan(r.completed), str(r.rate), wan(r.month_completed)]
            for n, r in enumerate(rows, start=1)
        ]

    return [
        (_("Table 1. Zones"), ranking_header, ranking(data.zones)),
        (_("Table 2. Towns"), ranking_header, ranking(data.towns)),
        (
            _("Table 3. Red, yellow and green cards"),
            [_("colour"), _("town"), _("subject"), _("rule"), _("reason"), _("issued")],
            [
                [c.colour_label, c.town, c.subject, c.rule, c.reason, date_format(c.issued_on)]
                for c in data.cards
            ],
        ),
    ]


def render_xlsx(data: BulletinData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from cunqi.core.xlsx import neutralise

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in tables(data):
        sheet = workbook.create_sheet(title[:31].replace(".", ""))
        sheet.append([neutralise(str(h)) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    workbook.properties.creator = "Cunqi"
    stamp = month_end(data.month)
    workbook.properties.created = workbook.properties.modified = datetime(
        stamp.year, stamp.month, stamp.day
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_pdf(data: BulletinData, chart: bytes) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "supervision/bulletin_pdf.html",
        {
            "data": data,
            "sections": sections(data),
            "tables": tables(data),
            "chart": base64.b64encode(chart).decode(),
            "font_url": FONT.as_uri(),
        },
    )
    return HTML(string=html, base_url=str(FONT.parent)).write_pdf()


def files(month: date) -> dict[str, bytes]:
    """The three files of ``month``'s bulletin, by extension."""
    data = compute(month)
    chart = chart_png(data)
    return {
        "docx": render_docx(data, chart),
        "xlsx": render_xlsx(data),
        "pdf": render_pdf(data, chart),
    }


def file_name(month: date, extension: str) -> str:
    return f"bulletin-{month:%Y-%m}.{extension}"


def table_docx(title: str, header: list, rows: list[list]) -> bytes:
    """A one-table A4 Word document (landscape), e.g. the annual evaluation's ranking."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.8)

    def run(
        paragraph: Paragraph, text: str, east_asian: str, size: float, bold: bool = False
    ) -> None:
        text_run = paragraph.add_run(text)
        text_run.font.size, text_run.font.bold = Pt(size), bold
        text_run.font.name = "Times New Roman"  # creates the fonts element the next line sets
        text_run._element.rPr.rFonts.set(qn("w:eastAsia"), east_asian)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(heading, title, "方正小标宋简体", 20, True)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        run(cell.paragraphs[0], str(text), "黑体", 9, True)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            run(cell.paragraphs[0], str(value), "仿宋", 9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
