import pytest

from tests import factories


@pytest.fixture
def project(db):
    return factories.ProjectFactory()


@pytest.fixture
def taskforce_user(db):
    return factories.UserFactory(role="taskforce")
