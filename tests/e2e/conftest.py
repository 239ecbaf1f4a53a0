"""The platform as deployed, for browser journeys: gunicorn and a task worker in their own
processes, production settings (no debug, the second factor for the task force), a new
database of the suite's engine holding the demo programme; and Debian's Chromium, driven
headless by Playwright."""

import base64
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_otp.oath import totp

from tests import deployed
from tests.processes import databases

CHROMIUM = Path(os.environ.get("CUNQI_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "cunqi-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def screenshot_folder() -> Path:
    """Where the journeys leave a screenshot of each end (CI keeps it as an artifact)."""
    return Path(settings.BASE_DIR) / "var" / "e2e-screenshots" / connection.vendor


@dataclass
class Platform:
    url: str
    env: dict
    log: Path

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def command(self, *arguments) -> str:
        """What a `cunqi` command prints, run as an operator beside the platform."""
        return deployed.cunqi(self.env, *arguments)


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    folder = tmp_path_factory.mktemp("platform")
    with databases(folder) as make:
        env = deployed.production_env(make(), folder / "var")
        deployed.prepare(env)
        log = folder / "platform.log"
        with deployed.serving(
            env, log, gunicorn=("--workers", "2", "--threads", "4"), worker=("--interval", "0.2")
        ) as url:
            yield Platform(url, env, log)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


def _console_error(page, message) -> None:
    # A page answering 404 on purpose (out of scope) is checked by its test; assets that
    # fail are caught by _failed_asset.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.console_errors.append(message.text)


def _failed_asset(page, answer) -> None:
    if answer.status >= 400 and answer.request.resource_type != "document":
        page.console_errors.append(f"{answer.status} {answer.url}")


@dataclass
class People:
    """Signs the demo accounts in, each once per run: a time-based code may be used only
    once, so the task force's signed-in state is kept and reused."""

    platform: Platform
    chromium: object
    states: dict
    pages: list = field(default_factory=list)

    def page(self, username: str, *, viewport=DESKTOP, language: str = "zh-hans"):
        page = self._new_page(viewport, language, self.states.get(username))
        if username not in self.states:
            self._sign_in(page, username)
            state = page.context.storage_state()
            # Signed in once, used in either language: the language cookie is each page's own.
            state["cookies"] = [c for c in state["cookies"] if c["name"] != "django_language"]
            self.states[username] = state
        return page

    def anonymous(self, *, viewport=DESKTOP, language: str = "zh-hans"):
        """A visitor who has not signed in."""
        return self._new_page(viewport, language, None)

    def _new_page(self, viewport: dict, language: str, state: dict | None):
        context = self.chromium.new_context(
            viewport=viewport,
            base_url=self.platform.url,
            storage_state=state,
            accept_downloads=True,
            locale="zh-CN" if language == "zh-hans" else "en-GB",
        )
        context.set_default_timeout(20_000)
        if language != "zh-hans":  # the platform follows its cookie, not the browser's locale
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": self.platform.url}]
            )
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: _console_error(page, message))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.on("response", lambda answer: _failed_asset(page, answer))
        self.pages.append(page)
        return page

    def _sign_in(self, page, username: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        if "/accounts/second-factor/" in page.url:
            # The first sign-in enrols: with the enrolment code an administrator issued,
            # the page shows the key an authenticator app takes, then the recovery codes.
            code = self.platform.command("enrolment_code", username).strip().splitlines()[-1]
            page.fill("input[name=enrolment_code]", code)
            page.locator("form button[type=submit]", has_text="继续").click()
            key = base64.b32decode(page.locator("code").inner_text())
            page.fill("input[name=code]", f"{totp(key):06d}")
            page.locator("form button[type=submit]", has_text="继续").click()
            assert page.locator(".recovery-codes li").count() == 10
            page.locator("a", has_text="继续").click()
            page.wait_for_load_state()
        assert page.url.rstrip("/") == self.platform.url, page.url

    def close(self, page) -> None:
        """Done with ``page``: its browser context goes now; its console errors stay to be
        reported."""
        if not page.console_errors:
            self.pages.remove(page)
        page.context.close()

    def shot(self, page, name: str) -> None:
        folder = screenshot_folder()
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{name}.png", full_page=True)

    def document_pages(self, document: Path, name: str, *, convert: bool = False) -> None:
        """Keep a document's pages as images beside the screenshots (``name``-1.png…), to
        be looked at as an office would print it: a Word file through LibreOffice first.
        Without poppler (or LibreOffice) on the machine, nothing is kept."""
        folder = screenshot_folder()
        folder.mkdir(parents=True, exist_ok=True)
        if convert:
            if not shutil.which("soffice"):
                return
            subprocess.run(
                [
                    "soffice",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(document.parent),
                    str(document),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            document = document.with_suffix(".pdf")
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(document), str(folder / name)],
                check=True,
                timeout=120,
            )


@pytest.fixture(scope="session")
def signed_in() -> dict:
    return {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.journey_failed = True
    return report


@pytest.fixture
def people(request, platform, chromium, signed_in):
    people = People(platform, chromium, signed_in)
    yield people
    if getattr(request.node, "journey_failed", False):
        for number, page in enumerate(people.pages):
            people.shot(page, f"FAILED-{request.node.name}-{number}")
        # What the server and the worker said, beside the screenshots (a CI artifact).
        screenshot_folder().mkdir(parents=True, exist_ok=True)
        shutil.copy(platform.log, screenshot_folder() / f"FAILED-{request.node.name}.log")
    errors = {page.url: page.console_errors for page in people.pages if page.console_errors}
    for page in people.pages:
        page.context.close()
    assert not errors, f"errors in the browser console (CSP, scripts): {errors}"
