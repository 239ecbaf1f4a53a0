"""The monthly bulletin (月通报): its figures for a month, and the three files written from
them — a Word document in the style of a government bulletin, an Excel annex with the
tables, and a PDF.

The figures are a function of the rows and the month only. A month's bulletin is as of the
day after its reports were due (when the monthly evaluation runs): investment counts the
months up to the bulletin's; cards count those issued by that day and not cleared by then;
reports count those submitted by then, on time if by the due day. So the same month
generated twice, once that day has passed, gives the same figures. Pairing and project counts are the programme as it stands (the
platform keeps no month-by-month history of them). Documents are written in the active
language; the CJK font shipped in ``static/vendor/fonts`` renders the PDF and the chart.
"""

import base64
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cunqi.core.fields import ZERO
from cunqi.projects.models import Investment, Project
from cunqi.registry.models import Town, Zone
from cunqi.supervision import rules
from cunqi.supervision.headline import headline as programme_headline
from cunqi.supervision.models import Card, MonthlyReport, RuleSetting
from cunqi.supervision.services import project_towns

FONT = Path(settings.BASE_DIR) / "src/cunqi/static/vendor/fonts/NotoSansSC-Regular.ttf"
WAN = Decimal(10_000)


@dataclass(frozen=True)
class Ranked:
    name: str
    planned: Decimal  # to the end of the month, yuan
    completed: Decimal
    month_completed: Decimal

    @property
    def rate(self) -> Decimal:
        if not self.planned:
            return Decimal("0.0")
        return (Decimal(100) * self.completed / self.planned).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )


@dataclass(frozen=True)
class CardLine:
    colour: str
    colour_label: str
    subject: str
    town: str
    rule: str
    reason: str
    issued_on: date


@dataclass
class BulletinData:
    month: date
    number: int
    issued_on: date
    active_pairings: int
    pairings_with_leader: int
    projects_landed: int
    demonstration_projects: int
    planned_to_date: Decimal
    completed_to_date: Decimal
    completed_in_month: Decimal
    reports_expected: int
    reports_on_time: int
    reports_late: int
    due_day: int
    zones: list[Ranked] = field(default_factory=list)
    towns: list[Ranked] = field(default_factory=list)
    cards: list[CardLine] = field(default_factory=list)

    @property
    def title_month(self) -> str:
        return _("%(year)s-%(month)02d") % {"year": self.month.year, "month": self.month.month}

    @property
    def completion_rate(self) -> Decimal:
        return Ranked("", self.planned_to_date, self.completed_to_date, ZERO).rate

    @property
    def red_cards(self) -> list[CardLine]:
        return [card for card in self.cards if card.colour == Card.Colour.RED]

    @property
    def yellow_cards(self) -> list[CardLine]:
        return [card for card in self.cards if card.colour == Card.Colour.YELLOW]


def as_of_date(month: date) -> date:
    """The day after the month's reports were due: the bulletin's date."""
    due_day = RuleSetting.objects.get(rule=RuleSetting.Rule.REPORTS).due_day or 10
    return rules.report_due_on(month, due_day) + timedelta(days=1)


def month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _ranked(rows, key: str, names: dict[int, str]) -> list[Ranked]:
    ranked = [
        Ranked(
            names[row[key]],
            row["planned"] or ZERO,
            row["completed"] or ZERO,
            row["month_completed"] or ZERO,
        )
        for row in rows
        if row[key] in names
    ]
    return sorted(ranked, key=lambda r: (-r.rate, -r.completed, r.name))


def compute(month: date) -> BulletinData:
    """The bulletin's figures for ``month`` (its first day)."""
    headline = programme_headline(None)
    investments = Investment.objects.filter(month__lte=month)
    sums = {
        "planned": Sum("planned_amount"),
        "completed": Sum("completed_amount"),
        "month_completed": Sum("completed_amount", filter=Q(month=month)),
    }
    total = investments.aggregate(**sums)
    # A project counts for the town of its first village (as its cards do): summed by
    # project in the database, then by town here.
    project_town = project_towns(Project.objects.values("pk"))
    per_town: dict[int, dict] = {}
    for row in investments.values("project").annotate(**sums).order_by():
        town = project_town.get(row["project"])
        if town is None:
            continue
        totals = per_town.setdefault(
            town, {"town": town, "planned": ZERO, "completed": ZERO, "month_completed": ZERO}
        )
        for name in ("planned", "completed", "month_completed"):
            totals[name] += row[name] or ZERO
    town_rows = list(per_town.values())
    town_zone = dict(Town.objects.values_list("pk", "zone"))
    zone_totals: dict[int, dict] = {}
    for row in town_rows:
        zone = town_zone.get(row["town"])
        totals = zone_totals.setdefault(
            zone, {"zone": zone, "planned": ZERO, "completed": ZERO, "month_completed": ZERO}
        )
        for name in ("planned", "completed", "month_completed"):
            totals[name] += row[name] or ZERO

    due_day = RuleSetting.objects.get(rule=RuleSetting.Rule.REPORTS).due_day or 10
    due_on = rules.report_due_on(month, due_day)
    as_of = as_of_date(month)
    reports = MonthlyReport.objects.filter(
        project__isnull=False, month=month, submitted_at__date__lte=as_of
    )
    expected = Project.objects.filter(status__in=("building", "operating")).count()
    on_time = reports.filter(submitted_at__date__lte=due_on).count()

    cards = (
        Card.objects.filter(issued_on__lte=as_of)
        .filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=as_of))
        .select_related("project", "pairing__village", "pairing__enterprise", "action_item", "town")
        .order_by("colour", "town__name", "pk")  # red before yellow
    )
    return BulletinData(
        month=month,
        number=month.month,
        issued_on=as_of,
        active_pairings=headline.active_pairings,
        pairings_with_leader=headline.pairings_with_leader,
        projects_landed=headline.projects_landed,
        demonstration_projects=headline.demonstration_projects,
        planned_to_date=total["planned"] or ZERO,
        completed_to_date=total["completed"] or ZERO,
        completed_in_month=total["month_completed"] or ZERO,
        reports_expected=expected,
        reports_on_time=on_time,
        reports_late=reports.count() - on_time,
        due_day=due_day,
        zones=_ranked(zone_totals.values(), "zone", dict(Zone.objects.values_list("pk", "name"))),
        towns=_ranked(town_rows, "town", dict(Town.objects.values_list("pk", "name"))),
        cards=[
            CardLine(
                colour=card.colour,
                colour_label=card.get_colour_display(),
                subject=str(card.subject),
                town=str(card.town or _("City departments")),
                rule=card.get_rule_display(),
                reason=card.reason_text,
                issued_on=card.issued_on,
            )
            for card in cards
        ],
    )


def wan(amount: Decimal) -> str:
    """Yuan as 万元 with two places, as bulletins state money."""
    return f"{(amount / WAN).quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


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

    def run_font(run, east_asian: str, size: float, bold: bool = False, colour=None):
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Times New Roman"
        run._element.rPr.rFonts.set(qn("w:eastAsia"), east_asian)
        if colour:
            run.font.color.rgb = colour

    def paragraph(text: str, east_asian="仿宋", size=16, bold=False, align=None, colour=None):
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
        _("Pairing task force · %(date)s") % {"date": data.issued_on.isoformat()},
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
    yellow = RuleSetting.objects.get(rule=RuleSetting.Rule.INVESTMENT).yellow_below
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
                _("Monthly reports: %(on_time)s of %(expected)s on time, %(late)s late.")
                % {
                    "on_time": data.reports_on_time,
                    "expected": data.reports_expected,
                    "late": data.reports_late,
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
            _("3. Red and yellow cards"),
            [
                _("%(red)s red and %(yellow)s yellow cards are open.")
                % {"red": len(data.red_cards), "yellow": len(data.yellow_cards)}
            ]
            + [
                f"{card.colour_label} · {card.town} · {card.subject}: {card.reason}"
                for card in data.cards
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
            _("Table 3. Red and yellow cards"),
            [_("colour"), _("town"), _("subject"), _("rule"), _("reason"), _("issued")],
            [
                [c.colour_label, c.town, c.subject, c.rule, c.reason, c.issued_on.isoformat()]
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

    def run(paragraph, text: str, east_asian: str, size: float, bold: bool = False) -> None:
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
