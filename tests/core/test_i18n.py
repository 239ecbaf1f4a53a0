"""Every message exists in Simplified Chinese; templates with visible text use i18n."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

PACKAGE = Path(settings.PACKAGE_DIR)


def test_every_message_is_translated_to_chinese():
    with open(PACKAGE / "locale/zh_Hans/LC_MESSAGES/django.po", "rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            not any(message.string if isinstance(message.string, tuple) else [message.string])
            or message.fuzzy
        )
    ]
    assert not untranslated


def test_templates_with_visible_text_load_i18n():
    visible_text = re.compile(r">[^<{]*[A-Za-z]{4,}[^<{]*<")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "templates").rglob("*.html")
        if visible_text.search(path.read_text()) and "{% load i18n" not in path.read_text()
    ]
    assert not offenders


def test_chinese_is_the_default_whatever_the_browser_sends(db):
    from django.test import Client

    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")
    assert "登录" in page.content.decode()


def test_the_language_switch_sets_english_and_back(db):
    from django.test import Client

    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "登录" in client.get("/accounts/login/").content.decode()
