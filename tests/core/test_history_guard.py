"""No change to an audited row escapes its history: a bulk write on an audited model runs
only inside ``history.recorded()``, whose caller records what it changed, or where history
is deliberately not kept; the guard is the audited models' queryset, in production too."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from auditlog.registry import auditlog

from cunqi.benefits import services as benefits
from cunqi.benefits.models import Distribution
from cunqi.core import history
from cunqi.core.history import history_of
from cunqi.registry.models import Village
from cunqi.supervision.models import Card
from tests import factories
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


def test_a_bulk_write_on_an_audited_model_that_records_nothing_is_refused():
    village = factories.VillageFactory()
    rows = Village.objects.filter(pk=village.pk)
    with pytest.raises(history.UnrecordedWrite, match=r"registry\.Village"):
        rows.update(name="改名村")
    with pytest.raises(history.UnrecordedWrite):
        Village.objects.bulk_update([village], ["name"])
    with pytest.raises(history.UnrecordedWrite):
        Village.objects.bulk_create([Village(name="新村", code="X1", town=village.town)])
    with pytest.raises(history.UnrecordedWrite):  # through a relation's manager too
        village.town.villages.update(name="改名村")
    with history.recorded():
        rows.update(name="改名村")
    with disable_auditlog():
        rows.update(name="又改名村")
    assert Village.objects.get(pk=village.pk).name == "又改名村"


def test_fields_left_out_of_the_history_may_be_written_in_bulk():
    Card.objects.all().update(evaluated_on=date(2026, 1, 1))
    with pytest.raises(history.UnrecordedWrite):
        Card.objects.all().update(status=Card.Status.RESOLVED)


def test_every_audited_model_guards_its_bulk_writes():
    unguarded = [
        model._meta.label
        for model in auditlog.get_models()
        if not isinstance(model._default_manager.all(), history.RecordedQuerySet)
    ]
    assert unguarded == []


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
