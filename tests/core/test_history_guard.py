"""No change to an audited row escapes its history: the platform's bulk writes on audited
models happen inside ``history.recorded()`` and record what they changed (the suite runs
with the guard on, so any other bulk write fails the test that reaches it)."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from cunqi.benefits import services as benefits
from cunqi.benefits.models import Distribution
from cunqi.core import history
from cunqi.core.views import history_of
from cunqi.registry.models import Village
from cunqi.supervision.models import Card
from tests import factories
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


def platform_update(queryset, **fields):
    """A bulk write made from the platform's code (the guard ignores tests' own set-up)."""
    namespace = {"queryset": queryset, "fields": fields}
    code = compile("queryset.update(**fields)", history.__file__, "exec")
    exec(code, namespace)


def test_a_bulk_write_on_an_audited_model_that_records_nothing_is_refused():
    village = factories.VillageFactory()
    with pytest.raises(history.UnrecordedWrite, match=r"registry\.Village"):
        platform_update(Village.objects.filter(pk=village.pk), name="改名村")
    with history.recorded():
        platform_update(Village.objects.filter(pk=village.pk), name="改名村")


def test_fields_left_out_of_the_history_may_be_written_in_bulk():
    platform_update(Card.objects.all(), evaluated_on=date(2026, 1, 1))
    with pytest.raises(history.UnrecordedWrite):
        platform_update(Card.objects.all(), status=Card.Status.RESOLVED)


def test_distributions_approved_and_posted_in_bulk_show_it_in_their_history():
    side = build_side("A")
    users = build_users(side)
    benefits.prepare_distributions(2025, {side.project.pk: Decimal("1000.00")}, users["town"])
    distribution = Distribution.objects.get(project=side.project, year=2025)
    benefits.approve_distributions([distribution.pk], users["leader"])
    benefits.post_distributions([distribution.pk], users["taskforce"])
    entries = LogEntry.objects.get_for_object(distribution).order_by("pk")
    assert [(entry.action, entry.actor) for entry in entries] == [
        (LogEntry.Action.CREATE, users["town"]),
        (LogEntry.Action.UPDATE, users["leader"]),
        (LogEntry.Action.UPDATE, users["taskforce"]),
    ]
    assert entries[1].changes_dict["status"] == ["draft", "approved"]
    assert entries[2].changes_dict["status"] == ["approved", "posted"]
    assert history_of(distribution)[0]["changes"]  # shown on its page
