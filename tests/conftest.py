import pytest

from tests import factories


def pytest_configure(config) -> None:
    from django.conf import settings

    # Pages render in tests without `collectstatic` having run (a clean clone has no
    # manifest); production keeps the hashed, compressed manifest storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def project(db):
    return factories.ProjectFactory()


@pytest.fixture
def taskforce_user(db):
    return factories.UserFactory(role="taskforce")
