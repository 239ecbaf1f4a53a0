"""The platform as deployed, for browser journeys: gunicorn and a task worker in their own
processes, production settings (no debug, the second factor for the task force), a new
database of the suite's engine holding the demo programme; and Debian's Chromium, driven
headless by Playwright."""

import base64
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_otp.oath import totp

from tests.processes import COMMAND, databases, environment

CHROMIUM = Path(os.environ.get("CUNQI_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "cunqi-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def screenshot_folder() -> Path:
    """Where the journeys leave a screenshot of each end (CI keeps it as an artifact)."""
    return Path(settings.BASE_DIR) / "var" / "e2e-screenshots" / connection.vendor


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, processes, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the platform did not start:\n{log.read_text()[-3000:]}")


def _run(env: dict, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *arguments], env=env, capture_output=True, text=True)


@dataclass
class Platform:
    url: str
    database_url: str
    env: dict
    log: Path

    def command(self, *arguments) -> str:
        """What a `cunqi` command prints, run as an operator beside the platform."""
        done = _run(self.env, *arguments)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    folder = tmp_path_factory.mktemp("platform")
    with databases(folder) as make:
        database_url, var = make(), folder / "var"
        env = {
            **environment(database_url, var),
            "CUNQI_DEBUG": "0",
            "CUNQI_SECRET_KEY": secrets.token_urlsafe(50),
        }
        # Compressing the static files is the slow part: it runs beside the database's setup.
        static = subprocess.Popen(
            [*COMMAND, "collectstatic", "--noinput", "-v0"], env=env, stderr=subprocess.PIPE
        )
        for step in (("migrate", "-v0"), ("demo",)):
            done = _run(env, *step)
            assert done.returncode == 0, done.stderr[-3000:]
        assert static.wait() == 0, static.stderr.read()[-3000:]
        env.pop("CUNQI_TOTP_ROLES", None)  # production's default: the task force needs TOTP
        port, log = _free_port(), folder / "platform.log"
        with log.open("w") as output:
            server = [sys.executable, "-m", "gunicorn", "cunqi.wsgi"]
            processes = [
                subprocess.Popen(
                    [*server, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"],
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                ),
                subprocess.Popen(
                    [
                        *COMMAND,
                        "db_worker",
                        "--queue-name",
                        "*",
                        "--interval",
                        "0.2",
                        "--no-startup-delay",
                    ],
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                ),
            ]
            try:
                _wait_for(port, processes, log)
                yield Platform(f"http://127.0.0.1:{port}", database_url, env, log)
            finally:
                for process in processes:
                    process.terminate()
                for process in processes:
                    process.wait(timeout=30)


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
        context = self.chromium.new_context(
            viewport=viewport,
            base_url=self.platform.url,
            storage_state=self.states.get(username),
            accept_downloads=True,
            locale="zh-CN" if language == "zh-hans" else "en-GB",
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: _console_error(page, message))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.on("response", lambda answer: _failed_asset(page, answer))
        self.pages.append(page)
        if username not in self.states:
            self._sign_in(page, username)
            self.states[username] = context.storage_state()
        return page

    def _sign_in(self, page, username: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        if "/accounts/second-factor/" in page.url:
            # The first sign-in enrols: the page shows the key an authenticator app takes.
            key = base64.b32decode(page.locator("code").inner_text())
            page.fill("input[name=code]", f"{totp(key):06d}")
            page.locator("form button[type=submit]", has_text="继续").click()
        assert page.url.rstrip("/") == self.platform.url, page.url

    def shot(self, page, name: str) -> None:
        folder = screenshot_folder()
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{name}.png", full_page=True)


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
