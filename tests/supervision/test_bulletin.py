"""The monthly bulletin: figures from the rows, the same twice, three files that read right."""

import io
import re
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from cunqi.core.roles import Role
from cunqi.supervision import bulletin, services
from cunqi.supervision.models import Bulletin, Instruction
from cunqi.supervision.selectors import bulletins
from tests import factories
from tests.i18n import language_client
from tests.supervision.test_cards import project  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects, compressed streams opened (fonts are named inside them)."""
    opened = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            opened.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"".join(opened)


MARCH = date(2026, 3, 1)


def test_figures_come_from_the_rows_and_repeat(project):  # noqa: F811
    services.evaluate_cards(bulletins.as_of_date(MARCH))
    first, second = bulletins.compute(MARCH), bulletins.compute(MARCH)
    assert first == second
    assert (first.planned_to_date, first.completed_to_date) == (100, 50)
    assert first.completion_rate == 50
    # Investment at 50% of plan, and no report for February or March: two red cards.
    assert [card.colour for card in first.cards] == ["red", "red"]
    town = project.villages.get().town
    assert [ranked.name for ranked in first.towns] == [town.name]


def test_the_three_files_read_right_in_chinese(project, tmp_path):  # noqa: F811
    services.evaluate_cards(bulletins.as_of_date(MARCH))
    call_command("bulletin", "2026-03", out=tmp_path, stdout=io.StringIO())
    document = Document(tmp_path / "bulletin-2026-03.docx")
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "村企结对帮扶工作月通报" in text and "2026年第3期" in text and "红牌2张" in text
    assert document.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)  # A4
    sheets = load_workbook(tmp_path / "bulletin-2026-03.xlsx").sheetnames
    assert sheets == ["表1 片区排名", "表2 镇（街道）排名", "表3 红黄绿牌清单"]
    pdf = (tmp_path / "bulletin-2026-03.pdf").read_bytes()
    # A serif CJK body where Debian's fonts-noto-cjk is installed (CI installs it), else
    # the sans font the platform ships.
    serif = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists()
    font = b"Noto-Serif-CJK-SC" if serif else b"Cunqi-Sans"
    assert pdf.startswith(b"%PDF") and font in pdf_objects(pdf)
    with pytest.raises(CommandError):
        call_command("bulletin", "2099-01", out=tmp_path)


def test_english_bulletin(project):  # noqa: F811
    with translation.override("en"):
        files = bulletin.files(MARCH)
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as docx:
        assert "Monthly Bulletin" in docx.read("word/document.xml").decode()


def test_the_task_force_asks_for_a_bulletin_and_everyone_downloads_it(project):  # noqa: F811
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    response = client.post(
        reverse("supervision:bulletin_add"), {"month": "2026-03", "language": "zh-hans"}
    )
    item = Bulletin.objects.get()
    assert response.status_code == 302 and item.status == Bulletin.Status.QUEUED
    services.generate_bulletin(item)  # what the queued task does
    item.refresh_from_db()
    assert item.status == Bulletin.Status.DONE
    village = Client()
    village.force_login(factories.UserFactory(role=Role.VILLAGE, village=project.villages.get()))
    download = village.get(reverse("supervision:bulletin_file", args=[item.pk, "pdf"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        village.get(reverse("supervision:bulletin_file", args=[item.pk, "exe"])).status_code == 404
    )
    assert (
        village.post(
            reverse("supervision:bulletin_add"), {"month": "2026-03", "language": "en"}
        ).status_code
        == 403
    )
    assert (
        Client().get(reverse("supervision:bulletin_file", args=[item.pk, "pdf"])).status_code == 302
    )


def test_a_future_month_is_refused_at_the_field():
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    response = client.post(
        reverse("supervision:bulletin_add"), {"month": "2099-01", "language": "en"}
    )
    assert response.status_code == 400
    assert "still to come" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_only_accepted_reports_count_and_on_time_means_submitted_by_the_due_day():
    from datetime import datetime

    from django.utils import timezone

    from cunqi.supervision.models import MonthlyReport

    def report(status: str, submitted: date | None) -> None:
        MonthlyReport.objects.create(
            project=factories.ProjectFactory(status="operating"),
            month=MARCH,
            status=status,
            submitted_at=submitted
            and timezone.make_aware(datetime(submitted.year, submitted.month, submitted.day, 9)),
        )

    due = date(2026, 4, 10)
    report("accepted", due)
    report("accepted", date(2026, 4, 11))
    report("submitted", due)
    report("returned", date(2026, 4, 2))  # first sent in time, then returned: not on time
    report("draft", None)
    factories.ProjectFactory(status="operating")  # no report at all
    data = bulletins.compute(MARCH)
    assert (data.reports_expected, data.reports_on_time, data.reports_late) == (6, 1, 1)
    assert (data.reports_awaiting_review, data.reports_returned, data.reports_missing) == (1, 1, 2)
    with translation.override("en"):
        sentence = bulletin.sections(data)[0][1][2]
    assert "1 accepted and on time, 1 accepted but late" in sentence
    assert "1 awaiting review, 1 returned for changes, 2 not submitted" in sentence


def test_a_bulletin_waits_for_its_reports_and_is_dated_the_day_it_is_made(today):
    today(date(2026, 12, 2))  # November's reports are due on 10 December
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    form = client.get(reverse("supervision:bulletin_add")).content.decode()
    assert 'value="2026-10"' in form  # the latest month whose reports are due
    response = client.post(
        reverse("supervision:bulletin_add"), {"month": "2026-11", "language": "en"}
    )
    assert response.status_code == 400
    assert "due on Dec. 10, 2026: its bulletin can be made from Dec. 11, 2026" in (
        response.content.decode()
    )
    assert not Bulletin.objects.exists()
    response = client.post(
        reverse("supervision:bulletin_add"), {"month": "2026-10", "language": "zh-hans"}
    )
    assert response.status_code == 302
    with translation.override("zh-hans"):
        files = bulletin.files(date(2026, 10, 1))
    text = "\n".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
    assert "2026年12月2日" in text and "2026-" not in text


def test_the_word_file_is_in_official_document_form(project):  # noqa: F811
    """GB/T 9704-2012: A4 and its margins, 仿宋 三号 body indented two characters on a
    22-line grid, a 小标宋 二号 title, "— n —" page numbers at the outer edge, the imprint."""
    services.evaluate_cards(bulletins.as_of_date(MARCH))
    with translation.override("zh-hans"):
        document = Document(io.BytesIO(bulletin.files(MARCH)["docx"]))
    section = document.sections[0]
    margins = [
        round(getattr(section, f"{side}_margin").mm) for side in ("top", "bottom", "left", "right")
    ]
    assert margins == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines, in twentieths of a point
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    title = next(p for p in document.paragraphs if p.text.startswith("关于"))
    assert title.text == "关于2026年3月村企结对工作进展情况的通报"
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("截至"))
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters of 三号
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        number = footer.paragraphs[0]
        assert number.text == "— 1 —" and number.alignment.name == align.upper()
        assert " PAGE " in "".join(t.text for t in number._p.iter(qn("w:instrText")))
        assert number.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
        assert number.runs[0].font.size.pt == 14
    imprint = [p.text for p in document.paragraphs[-2:]]
    assert imprint[0].startswith("抄送：") and imprint[1].endswith("印发")
    assert "附件" in [p.text for p in document.paragraphs]


def test_the_excel_annex_holds_numbers_that_sum_and_sort(project):  # noqa: F811
    services.evaluate_cards(bulletins.as_of_date(MARCH))
    with translation.override("zh-hans"):
        workbook = load_workbook(io.BytesIO(bulletin.files(MARCH)["xlsx"]))
    zones = workbook["表1 片区排名"]
    planned, completed, rate = zones["C2"], zones["D2"], zones["E2"]
    assert (planned.value, planned.number_format) == (0.01, "#,##0.00")  # 100 yuan in 万元
    assert (completed.value, rate.value, rate.number_format) == (0.01, 0.5, "0.0%")
    assert zones.freeze_panes == "A2" and zones.auto_filter.ref == "A1:F1"
    assert zones.print_title_rows == "$1:$1" and zones.page_setup.paperSize == 9  # A4
    assert zones.column_dimensions["C"].width >= 20  # the Chinese header is not cut
    cards = workbook["表3 红黄绿牌清单"]
    assert cards["F2"].is_date and cards["F2"].number_format == "yyyy-mm-dd"


def test_the_supervised_matters_count_the_months_instructions(project):  # noqa: F811
    town = project.villages.get().town
    leader = factories.PersonFactory(kind="leader", name="张市长")

    def instruction(given: date, deadline: date, **values) -> Instruction:
        return Instruction.objects.create(
            leader=leader,
            project=project,
            text="督办",
            answer_town=town,
            given_on=given,
            deadline=deadline,
            **values,
        )

    instruction(
        date(2026, 3, 5), date(2026, 3, 20), status="answered", answered_on=date(2026, 3, 18)
    )
    instruction(date(2026, 3, 25), date(2026, 4, 5))  # awaiting its answer past the deadline
    instruction(date(2026, 2, 1), date(2026, 6, 1))  # given before the month, not yet due
    data = bulletins.compute(MARCH, issued_on=date(2026, 4, 11))
    assert (data.instructions_given, data.instructions_answered) == (2, 1)
    assert data.instructions_overdue == [(str(project), town.name, date(2026, 4, 5))]
    with translation.override("en"):
        heading, lines = bulletin.sections(data)[3]
    assert heading == "4. Supervised matters (督办)"
    assert "2 given, 1 answered; 1 awaiting their answer past the deadline" in lines[0]
    assert f"{project} ({town.name}, due April 5, 2026)" in lines[1]
