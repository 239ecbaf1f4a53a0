"""Notifications: cards issued, reports and action items coming due; each told once, to
the right people only."""

from datetime import date

import pytest
from django.urls import reverse

from cunqi.core.models import Notification
from cunqi.core.roles import Role
from cunqi.supervision import notices, services
from cunqi.supervision.models import ActionItem, Meeting
from tests import factories
from tests.i18n import language_client
from tests.supervision.test_cards import TODAY, project  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_town_officers_hear_of_cards_issued_in_their_town_once(project):  # noqa: F811
    town = project.villages.get().town
    officer = factories.UserFactory(role=Role.TOWN, town=town)
    stranger = factories.UserFactory(role=Role.TOWN, town=factories.TownFactory())
    services.evaluate_cards(TODAY)
    services.evaluate_cards(TODAY)
    assert officer.notifications.filter(kind=Notification.Kind.CARD_ISSUED).count() == 1
    assert not stranger.notifications.exists()


def test_reports_and_action_items_coming_due(project):  # noqa: F811
    village_user = factories.UserFactory(role=Role.VILLAGE, village=project.villages.get())
    town = project.villages.get().town
    officer = factories.UserFactory(role=Role.TOWN, town=town)
    meeting = Meeting.objects.create(held_on=date(2026, 6, 1), topic="联席会议")
    ActionItem.objects.create(
        meeting=meeting, title="用地报批", owner_town=town, deadline=date(2026, 7, 10)
    )
    # June's report is due on 10 July; on 8 July nothing has come in yet.
    assert notices.notify_due(date(2026, 7, 8)) == 2
    assert notices.notify_due(date(2026, 7, 8)) == 0  # told once
    report = village_user.notifications.get(kind=Notification.Kind.REPORT_DUE)
    assert "2026年6月月报须于2026年7月10日前报送" in report.message  # the reader's words, not ISO
    assert officer.notifications.filter(kind=Notification.Kind.ACTION_DUE).exists()
    assert notices.notify_due(date(2026, 7, 1)) == 0  # not yet within three days


def test_the_inbox_shows_ones_own_and_opening_marks_read(project):  # noqa: F811
    officer = factories.UserFactory(role=Role.TOWN, town=project.villages.get().town)
    services.evaluate_cards(TODAY)
    item = officer.notifications.get()
    client = language_client("en")
    client.force_login(officer)
    page = client.get(reverse("notifications")).content.decode()
    assert "card was issued" in page
    assert 'badge-notification">1<' in client.get(reverse("dashboard:cockpit")).content.decode()
    response = client.get(reverse("notification_open", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == item.url
    item.refresh_from_db()
    assert item.read_at is not None
    other = language_client("en")
    other.force_login(factories.UserFactory(role=Role.TASKFORCE))
    assert other.get(reverse("notification_open", args=[item.pk])).status_code == 404
    assert "card was issued" not in other.get(reverse("notifications")).content.decode()
