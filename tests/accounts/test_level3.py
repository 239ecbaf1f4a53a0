"""`cunqi security-check`: each level-3 requirement the application answers for, with its
state in this deployment; the deployment guide's production settings meet every one that
is built, the demo's do not, and what is not built yet is a gap, so the check fails."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from cunqi.accounts import level3
from cunqi.accounts.passwords import DEMO_PASSWORD
from cunqi.core.roles import ADMINISTRATORS, Role
from tests import factories

pytestmark = pytest.mark.django_db

# docs/deploy.md's settings, as far as the check reads them.
PRODUCTION = {
    "HTTPS": True,
    "SESSION_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    "DEBUG": False,
    "CUNQI_TOTP_ROLES": ("taskforce", "department", "town", "village", "enterprise", "admin"),
    "CUNQI_PASSWORD_MAX_AGE_DAYS": 90,
    "CUNQI_SESSION_IDLE_MINUTES": 30,
    "AXES_FAILURE_LIMIT": 5,
    "AXES_COOLOFF_TIME": timedelta(minutes=30),
}


def gaps() -> set[str]:
    return {f.requirement for f in level3.findings() if not f.met}


def test_production_settings_meet_every_built_requirement_and_the_rest_are_gaps():
    for role in ADMINISTRATORS:
        factories.UserFactory(role=role, is_staff=True)
    expected = {requirement for _clause, requirement in level3.NOT_BUILT}
    if connection.vendor != "postgresql":  # only PostgreSQL refuses to change the trail
        expected.add("audit records protected from change and deletion by the database")
    with override_settings(**PRODUCTION):
        assert gaps() == expected
        with pytest.raises(CommandError, match=f"{len(expected)} of 16 requirements are not met"):
            call_command("security-check")


def test_each_administrator_must_be_assigned():
    factories.UserFactory(role=Role.SYSADMIN, is_staff=True)
    with override_settings(**PRODUCTION):
        assert any("三权分立" in gap for gap in gaps())


@pytest.mark.parametrize(
    ("changes", "requirement"),
    [
        ({"CUNQI_TOTP_ROLES": ()}, "two authentication techniques"),
        ({"CUNQI_TOTP_ROLES": ("taskforce", "admin")}, "two authentication techniques"),
        ({"HTTPS": False}, "cross the network encrypted"),
        ({"DEBUG": True}, "no debugging output"),
        ({"CUNQI_PASSWORD_MAX_AGE_DAYS": 0}, "changed periodically"),
        ({"CUNQI_SESSION_IDLE_MINUTES": 120}, "30 minutes idle"),
        ({"AXES_COOLOFF_TIME": timedelta(minutes=15)}, "end in a lock"),
        ({"CUNQI_AUDIT_RETENTION_DAYS": 90}, "kept at least 180 days"),
    ],
)
def test_each_setting_below_level_3_is_a_gap(changes, requirement):
    with override_settings(**{**PRODUCTION, **changes}):
        assert any(requirement in gap for gap in gaps())


def test_an_account_with_the_demo_password_or_a_second_superuser_is_a_gap():
    with override_settings(**PRODUCTION):
        user = factories.UserFactory(role="town")
        user.set_password(DEMO_PASSWORD)
        user.save()
        assert any("published" in gap for gap in gaps())
        user.set_password("Kq8#not-the-demo-one")
        user.save()
        assert not any("published" in gap for gap in gaps())
        factories.UserFactory(is_superuser=True)
        factories.UserFactory(is_superuser=True)
        assert any("superuser" in gap for gap in gaps())
