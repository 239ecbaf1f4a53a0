"""The whole-programme snapshot equals the live figures and refreshes after writes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cunqi.dashboard import selectors, snapshot
from cunqi.dashboard.models import Snapshot
from tests.scoping_world import build_side

pytestmark = pytest.mark.django_db


def refresh_tasks() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="refresh_cockpit").count()


def test_snapshot_decodes_to_the_live_figures():
    build_side("A")
    build_side("B")
    stored = snapshot.refresh()
    assert snapshot.decode(stored.payload) == selectors.cockpit_data(None)
    assert snapshot.decode(stored.payload).headline.completed_investment == Decimal("1600.00")


def test_a_burst_of_writes_enqueues_one_refresh(django_capture_on_commit_callbacks):
    side = build_side("A")
    snapshot.refresh()
    with django_capture_on_commit_callbacks(execute=True):
        side.project.name = "改名一"
        side.project.save()
    with django_capture_on_commit_callbacks(execute=True):
        side.investment.completed_amount = Decimal("999.00")
        side.investment.save()
    assert refresh_tasks() == 1
    assert Snapshot.objects.get().is_stale

    snapshot.refresh_cockpit.call()
    stored = Snapshot.objects.get()
    assert not stored.is_stale
    assert snapshot.decode(stored.payload).headline.completed_investment == Decimal("999.00")

    # A leader's instruction on it and a library application keep a pairing.
    side.instruction.delete()
    side.application.delete()
    with django_capture_on_commit_callbacks(execute=True):
        side.pairing.delete()
    assert refresh_tasks() == 2


def test_an_old_snapshot_is_refreshed_whatever_happened():
    build_side("A")
    stored = snapshot.refresh()
    Snapshot.objects.filter(pk=stored.pk).update(computed_at=timezone.now() - timedelta(hours=2))
    snapshot.load()
    assert refresh_tasks() == 1


def test_the_cockpit_says_when_its_figures_were_computed(client, taskforce_user):
    build_side("A")
    client.force_login(taskforce_user)
    page = client.get("/").content.decode()
    assert "数据截至" in page
