"""Word documents in the form of Chinese official documents (公文, GB/T 9704-2012), written
with python-docx, so that an office can send what Cunqi writes without reworking it.

The standard's figures: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right
(a type area of 156 × 225 mm); the body in 仿宋 三号 (16 pt) on a grid of 22 lines of 28
characters, each paragraph indented two characters; the title in 小标宋 二号 (22 pt); first-
level headings in 黑体; page numbers as "— 1 —" in 宋体 四号 (14 pt),
one character in from the outer edge (right on odd pages, left on even ones); the imprint
(版记) last, between rules, with the copies (抄送), the issuing office and the date.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from cunqi.core.text import display_width

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)  # 二号, 三号, 四号, 五号
TYPE_WIDTH = Mm(156)  # the type area is 156 × 225 mm
LANDSCAPE_TYPE_WIDTH = Mm(225)  # a page turned for a wide table: 225 × 156 mm
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area, as 公文 templates set it
RED = RGBColor(0xC0, 0x00, 0x00)

# The office that issues Cunqi's documents, in the reader's language unless the deployment
# names it (CUNQI_ISSUING_OFFICE).
DEFAULT_OFFICE = gettext_noop("Village–enterprise pairing task force")


def issuing_office() -> str:
    return settings.CUNQI_ISSUING_OFFICE or gettext(DEFAULT_OFFICE)


def _fonts(run_or_style: object, east_asian: str, size: Pt) -> None:
    font = run_or_style.font
    font.size = size
    font.name = LATIN_FONT if east_asian != PAGE_NUMBER_FONT else PAGE_NUMBER_FONT
    element = run_or_style.element
    properties = element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


# What follows a paragraph's borders and its grid switch in WordprocessingML's order.
AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents")
AFTER_SNAP += ("w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment")
AFTER_SNAP += ("w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr")
AFTER_SNAP += ("w:sectPr", "w:pPrChange")
AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap")
AFTER_BORDERS += ("w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN")
AFTER_BORDERS += ("w:bidi", "w:adjustRightInd", "w:snapToGrid", *AFTER_SNAP)


def _border(paragraph: Paragraph, side: str, *, points: float, colour: str = "000000") -> None:
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *AFTER_BORDERS)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(round(points * 8)))  # eighths of a point
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), colour)
    borders.append(line)


def _column_widths(header: list[str], rows: list[list[tuple[str, bool]]], width: int) -> list[int]:
    """The type area's ``width`` shared by how much each column holds (a Chinese
    character counts twice), each column wanting room for five to twelve characters."""
    wanted = [
        min(24, max(10, display_width(name), *(display_width(row[index][0]) for row in rows)))
        for index, name in enumerate(header)
    ]
    return [int(width * share / sum(wanted)) for share in wanted]


def _off_grid(paragraph: Paragraph) -> None:
    """Single-spaced and off the line grid (tables and pictures take the room they need)."""
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *AFTER_SNAP)


def _page_number(paragraph: Paragraph) -> None:
    """ "— n —" with n a PAGE field, so Word and LibreOffice number every page."""

    def run(text: str = "", field: str | None = None, instruction: str | None = None) -> None:
        element = paragraph.add_run(text)
        _fonts(element, PAGE_NUMBER_FONT, SIZE_4)
        if field:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), field)
            element._r.append(character)
        if instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            element._r.append(code)

    run("— ")
    run(field="begin")
    run(instruction=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def add_table(
    document: object,
    width: int,
    title: str | None,
    header: list[str],
    rows: list[list[tuple[str, bool]]],
) -> None:
    """A table in 五号 across ``width`` (under a centred title, if given), added to a
    python-docx document or a docxtpl sub-document; each cell is (its text, whether it is
    a number), and numbers stand right. Its rules are drawn by the table itself, so it
    keeps them in an office's template that lacks Word's "Table Grid" style."""
    if title:
        _add_paragraph(document, title, HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = document.add_table(rows=1, cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _rules(table)
    widths = _column_widths(header, rows, width)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width  # the grid LibreOffice lays out by; cells carry it for Word
    heading = [(name, False) for name in header]
    for row_number, values in enumerate([heading, *rows]):
        cells = table.rows[0].cells if row_number == 0 else table.add_row().cells
        for cell, (text, number), cell_width in zip(cells, values, widths, strict=True):
            cell.width = cell_width
            paragraph = cell.paragraphs[0]
            _off_grid(paragraph)
            if row_number == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            font = HEADING_FONT if row_number == 0 else BODY_FONT
            _fonts(paragraph.add_run(text), font, SIZE_5)
    # The header row repeats on every page the table runs over.
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    _add_paragraph(document, "", indent=False)


def _rules(table: object) -> None:
    """Single half-point rules around and between every cell."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    properties = table._tbl.tblPr
    # After the table's style, width, alignment and indent, in WordprocessingML's order.
    properties.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _spacing(format: object, *, indent: bool = True) -> None:
    format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    format.line_spacing = LINE_PITCH
    format.space_before = format.space_after = Pt(0)
    format.first_line_indent = SIZE_3 * 2 if indent else Pt(0)


def _add_paragraph(
    document: object,
    text: str,
    font: str = BODY_FONT,
    size: Pt = SIZE_3,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    _spacing(paragraph.paragraph_format, indent=indent and align is None)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    _fonts(run, font, size)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def type_width(document: object) -> int:
    """The width of a document's type area (its first section's page less its margins)."""
    section = document.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def finish(document: object, title: str, stamp: datetime) -> bytes:
    """The file; fixed timestamps make the same content give the same bytes."""
    core = document.core_properties
    core.title = title
    core.author = core.last_modified_by = "Cunqi"
    core.created = core.modified = stamp
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class OfficialDocument:
    """One 公文 being written: a masthead, a title, headings and paragraphs, pictures,
    an annex of tables, and the imprint. ``landscape`` turns the page for a wide table
    (the margins turn with it: the binding edge stays the long side)."""

    def __init__(self, *, landscape: bool = False) -> None:
        self.document = Document()
        section = self.document.sections[0]
        self.type_width = LANDSCAPE_TYPE_WIDTH if landscape else TYPE_WIDTH
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin = Mm(28), Mm(26)
            section.left_margin, section.right_margin = Mm(37), Mm(35)
            bottom = 26
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
            bottom = 35
        # The page number's line sits 7 mm below the type area.
        section.footer_distance = Mm(bottom - 7) - SIZE_4
        self._grid(section)
        normal = self.document.styles["Normal"]
        _fonts(normal, BODY_FONT, SIZE_3)
        _spacing(normal.paragraph_format)
        self.document.settings.odd_and_even_pages_header_footer = True
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            paragraph.paragraph_format.first_line_indent = Pt(0)
            setattr(paragraph.paragraph_format, f"{side}_indent", SIZE_4)  # one character in
            _page_number(paragraph)

    @staticmethod
    def _grid(section: object) -> None:
        """Word's line grid: 22 lines in the type area. (A character grid of 28 would narrow
        each character by 0.2 pt; LibreOffice reads Word's character pitch differently and
        spreads the text, so the line holds what 三号 fits: 27 to 28 characters.)"""
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))  # twentieths of a point

    def _paragraph(self, text: str, *args: object, **kwargs: object) -> Paragraph:
        return _add_paragraph(self.document, text, *args, **kwargs)

    def masthead(self, name: str, number: str, office: str, issued: str) -> None:
        """The header of a bulletin (简报式版头): the name in red, the issue number, the
        issuing office and date on one line, and a red rule below them."""
        head = self._paragraph(
            name, TITLE_FONT, Pt(36), align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED
        )
        head.paragraph_format.line_spacing = Pt(54)
        self._paragraph(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        line = self._paragraph(office, indent=False)
        line.paragraph_format.first_line_indent = SIZE_3  # one character in, as the date
        line.paragraph_format.tab_stops.add_tab_stop(
            self.type_width - SIZE_3, WD_TAB_ALIGNMENT.RIGHT
        )
        _fonts(line.add_run(f"\t{issued}"), BODY_FONT, SIZE_3)
        _border(line, "bottom", points=2.25, colour="C00000")
        self._paragraph("", indent=False)

    def title(self, text: str) -> None:
        paragraph = self._paragraph(text, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.line_spacing = Pt(36)
        self._paragraph("", indent=False)  # a blank line between the title and the body

    def heading(self, text: str) -> None:
        """A first-level heading ("一、…") in 黑体."""
        self._paragraph(text, HEADING_FONT)

    def paragraph(self, text: str) -> None:
        self._paragraph(text)

    def placeholder(self, text: str) -> None:
        """A centred paragraph off the grid, for a template's picture tag."""
        _off_grid(self._paragraph(text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER))

    def annex(self, label: str) -> None:
        """A new page headed "附件" (三号黑体, flush left)."""
        paragraph = self._paragraph(label, HEADING_FONT, indent=False)
        paragraph.paragraph_format.page_break_before = True

    def table(
        self, title: str | None, header: list[str], rows: list[list[tuple[str, bool]]]
    ) -> None:
        add_table(self.document, self.type_width, title, header, rows)

    def imprint(self, copies: str, office: str, issued: str) -> None:
        """The imprint (版记): copies, then the office and the date of issue, between a
        heavy rule above, a thin one between and a heavy one below, in 四号."""
        self._paragraph("", indent=False)
        copied = self._paragraph(copies, size=SIZE_4, indent=False)
        copied.paragraph_format.left_indent = copied.paragraph_format.right_indent = SIZE_4
        _border(copied, "top", points=1)
        _border(copied, "bottom", points=0.75)
        issued_line = self._paragraph(office, size=SIZE_4, indent=False)
        issued_line.paragraph_format.left_indent = SIZE_4
        issued_line.paragraph_format.tab_stops.add_tab_stop(
            self.type_width - SIZE_4, WD_TAB_ALIGNMENT.RIGHT
        )
        _fonts(issued_line.add_run(f"\t{issued}"), BODY_FONT, SIZE_4)
        _border(issued_line, "bottom", points=1)

    def save(self, title: str, stamp: datetime) -> bytes:
        return finish(self.document, title, stamp)
