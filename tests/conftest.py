import shutil
import tempfile

import pytest

from tests import factories
from tests.processes import new_database  # noqa: F401  (a fixture for every test)


def pytest_configure(config) -> None:
    from django.conf import settings

    # Pages render in tests without `collectstatic` having run (a clean clone has no
    # manifest); production keeps the hashed, compressed manifest storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Uploaded and generated files go to a folder of the run's own, never the checkout's.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="cunqi-test-media-")
    settings.CACHES["progress"]["LOCATION"] = tempfile.mkdtemp(prefix="cunqi-test-progress-")
    # Tests sign users in with force_login; the second factor is tested on its own
    # (tests/accounts/test_second_factor.py), with it required as in production.
    settings.CUNQI_TOTP_ROLES = ()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the platform's default language: a page requested in English
    leaves English active in the thread after it (the locale middleware never resets it),
    and a later test would read its messages in English."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def today(monkeypatch):
    """Call with a date to make it today (dates of given moments still convert)."""
    from django.utils import timezone

    real = timezone.localdate

    def on(day):
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else day
        )

    return on


@pytest.fixture
def project(db):
    return factories.ProjectFactory()


@pytest.fixture
def taskforce_user(db):
    return factories.UserFactory(role="taskforce")


def pytest_collection_modifyitems(items) -> None:
    """Transactional tests must all roll back by serialisation: one that flushes without
    it re-creates the content types, and the next serialised test then fails to load its
    own (duplicate key) on PostgreSQL."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


def pytest_sessionstart(session) -> None:
    if not hasattr(session.config, "workerinput"):  # xdist's controller, or a plain run
        from tests.e2e.conftest import screenshot_folder

        shutil.rmtree(screenshot_folder(), ignore_errors=True)


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.e2e.conftest import screenshot_folder

    if (folder := screenshot_folder()).exists():
        terminalreporter.write_line(f"Browser journeys' screenshots: {folder}")
