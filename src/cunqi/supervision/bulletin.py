"""The monthly bulletin's three files, written from its figures (``selectors.bulletins``):
a Word document in 公文 form (``core.gongwen``), an Excel annex whose tables hold numbers,
and a PDF laid out like the Word file. Documents are written in the active language; the
PDF's body is Noto Serif CJK where the machine has it, and the CJK font shipped in
``static/vendor/fonts`` draws the chart (and the PDF where no serif font is installed).
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
from django.utils.translation import gettext_noop
from docxtpl import DocxTemplate, InlineImage

from cunqi.core import gongwen, money, ratios, wordtemplates
from cunqi.core.gongwen import OfficialDocument, issuing_office
from cunqi.core.xlsx import Percent, write_sheets
from cunqi.supervision.models import Card
from cunqi.supervision.selectors.bulletins import BulletinData, Ranked, compute, month_end

FONT = Path(settings.BASE_DIR) / "src/cunqi/static/vendor/fonts/NotoSansSC-Regular.ttf"


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
    """The bulletin as a 公文 (GB/T 9704-2012), filled into the office's Word template for
    the language or the built-in one: masthead, title, text, chart, the tables as its
    annex, and the imprint."""
    stamp = month_end(data.month)
    return wordtemplates.fill(
        "bulletin",
        lambda template: template_values(template, data, chart),
        title=_("Monthly bulletin %(month)s") % {"month": data.title_month},
        stamp=datetime(stamp.year, stamp.month, stamp.day),
    )


def template_values(template: DocxTemplate, data: BulletinData, chart: bytes) -> dict:
    """What a bulletin template is filled with (docs/templates.md names each)."""
    words = wording(data)
    width = gongwen.type_width(template.docx)
    annex = template.new_subdoc()
    for title, header, rows in tables(data):
        gongwen.add_table(annex, width, title, header, printed(rows))
    picture = InlineImage(template, io.BytesIO(chart), width=width)
    return {
        "masthead": _("Village–Enterprise Pairing Monthly Bulletin"),
        "number": _("Issue %(number)s, %(year)s")
        % {"number": data.number, "year": data.month.year},
        "office": words["office"],
        "issued_on": date_format(data.issued_on),
        "title": words["title"],
        "month": data.title_month,
        "sections": [
            {"heading": heading, "lines": lines, "chart": picture if number == 2 else ""}
            for number, (heading, lines) in enumerate(sections(data), start=1)
        ],
        "chart": picture,
        "annex": _("Annex"),
        "tables": annex,
        "copies": words["copies"],
        "issued": words["issued"],
    }


def builtin_template() -> bytes:
    """The bulletin's built-in Word template: the 公文 layout with a tag wherever the
    bulletin's words go (rankings first, then their chart), for an office to start from."""
    document = OfficialDocument()
    document.masthead("{{ masthead }}", "{{ number }}", "{{ office }}", "{{ issued_on }}")
    document.title("{{ title }}")
    document.paragraph("{%p for section in sections %}")
    document.heading("{{ section.heading }}")
    document.paragraph("{%p for line in section.lines %}")
    document.paragraph("{{ line }}")
    document.paragraph("{%p endfor %}")
    document.paragraph("{%p if section.chart %}")
    document.placeholder("{{ section.chart }}")
    document.paragraph("{%p endif %}")
    document.paragraph("{%p endfor %}")
    document.annex("{{ annex }}")
    document.paragraph("{{p tables }}")
    document.imprint("{{ copies }}", "{{ office }}", "{{ issued }}")
    return document.save("Cunqi: monthly bulletin", datetime(2026, 1, 1))


# The figures an uploaded template is tried with before it is kept, and a one-pixel chart.
SAMPLE = BulletinData(
    month=date(2026, 1, 1),
    number=1,
    issued_on=date(2026, 2, 11),
    active_pairings=1,
    pairings_with_leader=1,
    projects_landed=1,
    demonstration_projects=0,
    planned_to_date=Decimal(100),
    completed_to_date=Decimal(50),
    completed_in_month=Decimal(10),
    reports_expected=1,
    reports_on_time=1,
    reports_late=0,
    reports_awaiting_review=0,
    reports_returned=0,
    due_day=10,
    zones=[Ranked("—", Decimal(100), Decimal(50), Decimal(10))],
    towns=[Ranked("—", Decimal(100), Decimal(50), Decimal(10))],
)
PIXEL = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00"
    b"\x00:~\x9bU\x00\x00\x00\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\xb18\xf6\x14\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

LAYOUT = wordtemplates.Layout(
    variables=(
        "masthead",
        "number",
        "office",
        "issued_on",
        "title",
        "month",
        "sections",
        "chart",
        "annex",
        "tables",
        "copies",
        "issued",
    ),
    builtin=builtin_template,
    sample=lambda template: template_values(template, SAMPLE, PIXEL),
)


def wording(data: BulletinData) -> dict[str, str]:
    """The title and the imprint's lines, shared by the Word file and the PDF."""
    office = issuing_office()
    return {
        "office": office,
        "title": _("Progress of the village–enterprise pairing work in %(month)s")
        % {"month": data.title_month},
        "copies": _("Copies to: %(copies)s.")
        % {"copies": settings.CUNQI_BULLETIN_COPIES or _(DEFAULT_COPIES)},
        "issued": _("Issued on %(date)s") % {"date": date_format(data.issued_on)},
    }


# The copies, in the reader's language unless the deployment names them
# (CUNQI_BULLETIN_COPIES).
DEFAULT_COPIES = gettext_noop(
    "the city's Party committee, people's congress, government and CPPCC offices; "
    "the task force's member units"
)


def sections(data: BulletinData) -> list[tuple[str, list[str]]]:
    """The bulletin's text, section by section (shared by the Word file and the PDF)."""
    yellow = data.yellow_below
    next_steps = [
        _("Towns with red cards submit rectification plans within ten days."),
        _(
            "Projects below %(threshold)s%% of planned investment report how they will catch up "
            "with their next monthly report."
        )
        % {"threshold": f"{yellow.normalize():f}" if yellow is not None else "90"},
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
                    "By the end of %(month)s, %(completed)s of the %(planned)s planned to date "
                    "had been invested (%(rate)s%%); %(in_month)s in the month itself."
                )
                % {
                    "month": data.title_month,
                    "completed": money.amount(data.completed_to_date),
                    "planned": money.amount(data.planned_to_date),
                    "rate": data.completion_rate,
                    "in_month": money.amount(data.completed_in_month),
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
        (_("4. Supervised matters (督办)"), supervised(data)),
        (_("5. Next steps"), next_steps),
    ]


def supervised(data: BulletinData) -> list[str]:
    lines = [
        _(
            "Leaders' instructions in %(month)s: %(given)s given, %(answered)s answered; "
            "%(overdue)s awaiting their answer past the deadline."
        )
        % {
            "month": data.title_month,
            "given": data.instructions_given,
            "answered": data.instructions_answered,
            "overdue": len(data.instructions_overdue),
        }
    ]
    if data.instructions_overdue:
        lines.append(
            _("Past their deadline: %(list)s.")
            % {
                "list": _("; ").join(
                    _("%(subject)s (%(unit)s, due %(day)s)")
                    % {"subject": subject, "unit": unit, "day": date_format(day)}
                    for subject, unit, day in data.instructions_overdue
                )
            }
        )
    return lines


def tables(data: BulletinData) -> list[tuple[str, list[str], list[list]]]:
    """The annex tables (shared by the Word file, the PDF and the Excel annex), with
    amounts in 万元 and rates as numbers, so that the Excel annex sums and sorts."""
    ranking_header = [
        _("rank"),
        _("name"),
        _("planned to date (10,000 yuan)"),
        _("completed to date (10,000 yuan)"),
        _("rate"),
        _("completed in the month (10,000 yuan)"),
    ]

    def ranking(rows: list[Ranked]) -> list[list]:
        return [
            [
                n,
                r.name,
                ratios.in_wan(r.planned),
                ratios.in_wan(r.completed),
                Percent(r.rate),
                ratios.in_wan(r.month_completed),
            ]
            for n, r in enumerate(rows, start=1)
        ]

    return [
        (_("Table 1. Zones"), ranking_header, ranking(data.zones)),
        (_("Table 2. Towns"), ranking_header, ranking(data.towns)),
        (
            _("Table 3. Red, yellow and green cards"),
            [_("colour"), _("town"), _("subject"), _("rule"), _("reason"), _("issued")],
            [
                [c.colour_label, c.town, c.subject, c.rule, c.reason, c.issued_on]
                for c in data.cards
            ],
        ),
    ]


def printed(rows: list[list]) -> list[list[tuple[str, bool]]]:
    """Table rows as the Word file and the PDF print them: each cell's text, and whether it
    is a number (those stand right)."""
    return [[(shown(value), isinstance(value, int | Decimal)) for value in row] for row in rows]


def shown(value: object) -> str:
    """A table cell's text in print."""
    if isinstance(value, Percent):
        return f"{value}%"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, date):
        return date_format(value)
    return str(value)


def render_xlsx(data: BulletinData) -> bytes:
    return write_sheets(
        (title[:31].replace(".", ""), header, rows) for title, header, rows in tables(data)
    )


def render_pdf(data: BulletinData, chart: bytes) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "supervision/bulletin_pdf.html",
        {
            "data": data,
            "sections": sections(data),
            **wording(data),
            "tables": [(title, header, printed(rows)) for title, header, rows in tables(data)],
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


def table_docx(title: str, header: list, rows: list[list], issued: date) -> bytes:
    """A ranking (the annual evaluation's) as a 公文 on landscape A4: its title, then the
    table in the bulletin's table form."""
    document = OfficialDocument(landscape=True)
    document.title(title)
    document.table(None, [str(name) for name in header], printed(rows))
    return document.save(title, datetime(issued.year, issued.month, issued.day))
