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


@pytest.fixture
def project(db):
    return factories.ProjectFactory()


@pytest.fixture
def taskforce_user(db):
    return factories.UserFactory(role="taskforce")
