"""An office's own Word template for the bulletin: kept only if it fills, through every door;
used for documents in its language; the built-in layout whenever it fails."""

import io
import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from cunqi.api import tokens
from cunqi.core import wordtemplates
from cunqi.core.doors import door
from cunqi.core.models import DocumentTemplate
from cunqi.core.roles import Role
from cunqi.core.xlsx import write_sheets
from cunqi.supervision import bulletin
from cunqi.supervision.selectors import bulletins
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
OFFICE_MASTHEAD = "榆阳区村企结对工作简报"


def edited(replacements: dict[str, str], *, split_title: bool = False) -> bytes:
    """The built-in template as an office edits it in Word: each paragraph whose text is a
    key given the value (in its first run, which keeps its fonts), and, if asked, the
    title's tag broken over two runs, as Word does when a tag is typed in pieces."""
    document = Document(io.BytesIO(wordtemplates.builtin("bulletin")))
    for paragraph in document.paragraphs:
        if paragraph.text in replacements:
            paragraph.runs[0].text = replacements[paragraph.text]
        if split_title and paragraph.text == "{{ title }}":
            paragraph.runs[0].text = "{{ ti"
            second = paragraph.add_run("tle }}")
            second._r.insert(0, paragraph.runs[0]._r.rPr.__copy__())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_text(content: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)


def render() -> bytes:
    return bulletin.render_docx(bulletins.compute(MARCH), bulletin.PIXEL)


def test_an_office_template_lays_out_the_bulletins_of_its_language():
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    office = edited({"{{ masthead }}": OFFICE_MASTHEAD}, split_title=True)
    response = client.post(
        reverse("core:documenttemplate_add"),
        {
            "document": "bulletin",
            "language": "zh-hans",
            "file": SimpleUploadedFile("简报模板.docx", office),
            "note": "专班版式",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert DocumentTemplate.objects.get().file_name == "简报模板.docx"
    with translation.override("zh-hans"):
        chinese = render()
    text = docx_text(chinese)
    assert OFFICE_MASTHEAD in text and "村企结对帮扶工作月通报" not in text
    assert "关于2026年3月村企结对工作进展情况的通报" in text  # the tag Word broke apart
    # What the template carries survives the filling: the page numbers and the fonts.
    document = Document(io.BytesIO(chinese))
    number = document.sections[0].footer.paragraphs[0]
    assert " PAGE " in "".join(t.text for t in number._p.iter(qn("w:instrText")))
    masthead = next(p for p in document.paragraphs if p.text == OFFICE_MASTHEAD)
    assert masthead.runs[0].font.size.pt == 36
    assert masthead.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    with translation.override("en"):
        assert "Village–Enterprise Pairing Monthly Bulletin" in docx_text(render())


def test_the_built_in_template_downloads_for_an_office_to_start_from():
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    listing = client.get(reverse("core:documenttemplate_list")).content.decode()
    url = reverse("core:documenttemplate_builtin", args=["bulletin"])
    assert url in listing
    download = client.get(url)
    assert download.status_code == 200
    assert 'filename="bulletin-template.docx"' in download["Content-Disposition"]
    assert "{{ masthead }}" in docx_text(download.content)
    assert client.get(reverse("core:documenttemplate_builtin", args=["nothing"])).status_code == 404


def not_a_word_document() -> bytes:
    return write_sheets([("表", ["名称"], [["石角塔村"]])])  # a workbook named .docx


# Each refusal, with the words it must carry.
REFUSED = {
    "a workbook": (not_a_word_document, "This is not a Word document (.docx)."),
    "a block never closed": (
        lambda: edited({"{{ title }}": "{%p if title %}"}),
        "A tag of the template cannot be read",
    ),
    "a name Cunqi does not fill": (
        lambda: edited({"{{ title }}": "{{ secret }}"}),
        "The template names secret, which Cunqi does not fill; it may use masthead,",
    ),
    "a reach into Python": (
        lambda: edited({"{{ title }}": "{{ title.__class__.__mro__ }}"}),
        "The template cannot be filled: access to attribute '__class__'",
    ),
}


def through_the_page(user, content: bytes) -> str:
    client = language_client("en")
    client.force_login(user)
    response = client.post(
        reverse("core:documenttemplate_add"),
        {
            "document": "bulletin",
            "language": "zh-hans",
            "file": SimpleUploadedFile("t.docx", content),
        },
    )
    assert response.status_code == 400
    return response.content.decode()


def through_the_api(user, content: bytes) -> str:
    _token, key = tokens.create(user, "templates")
    response = language_client("en").post(
        "/api/v1/core/documenttemplate/",
        {
            "document": "bulletin",
            "language": "zh-hans",
            "file": SimpleUploadedFile("t.docx", content),
        },
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400, response.content
    return " ".join(response.json()["errors"]["file"])


def through_the_service(user, content: bytes) -> str:
    upload = SimpleUploadedFile("t.docx", content)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        door(DocumentTemplate).create(
            user, {"document": "bulletin", "language": "zh-hans", "file": upload}
        )
    return " ".join(refused.value.message_dict["file"])


@pytest.mark.parametrize("case", list(REFUSED))
@pytest.mark.parametrize("through", [through_the_page, through_the_api, through_the_service])
def test_a_template_is_kept_only_if_it_fills(case, through):
    content, message = REFUSED[case]
    answer = through(factories.UserFactory(role=Role.TASKFORCE), content())
    assert message in answer.replace("&#x27;", "'")
    assert not DocumentTemplate.objects.exists()


def test_only_the_task_force_keeps_templates():
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TOWN, town=factories.TownFactory()))
    office = edited({"{{ masthead }}": OFFICE_MASTHEAD})
    response = client.post(
        reverse("core:documenttemplate_add"),
        {
            "document": "bulletin",
            "language": "zh-hans",
            "file": SimpleUploadedFile("t.docx", office),
        },
    )
    assert response.status_code == 403 and not DocumentTemplate.objects.exists()


def test_a_stored_template_that_fails_gives_the_built_in_layout(caplog):
    DocumentTemplate.objects.create(
        document="bulletin",
        language="zh-hans",
        file=ContentFile(not_a_word_document(), name="broken.docx"),
    )
    with translation.override("zh-hans"), caplog.at_level(logging.ERROR):
        text = docx_text(render())
    assert "村企结对帮扶工作月通报" in text
    assert "the bulletin template of zh-hans failed" in caplog.text
