"""Advisors serve within their pairing's term; services and trainings show on the village
page; who may record them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from cunqi.talent.models import Advisor, Expert, Service, Training
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def pairing():
    return factories.PairingFactory(start_date=date(2024, 1, 1), end_date=date(2028, 12, 31))


def advisor(pairing, **changes) -> Advisor:
    values = {
        "name": "示例顾问",
        "enterprise": pairing.enterprise,
        "village": pairing.village,
        "term_start": date(2025, 1, 1),
        "term_end": date(2026, 12, 31),
    } | changes
    return Advisor(**values)


def test_a_term_within_the_pairing_is_accepted(pairing):
    advisor(pairing).full_clean()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"term_start": date(2023, 6, 1)}, "term_end", "within the pairing's dates"),
        ({"term_end": date(2029, 1, 1)}, "term_end", "2024-01-01 to 2028-12-31"),
        ({"term_end": date(2024, 12, 31)}, "term_end", "cannot end before"),
    ],
)
def test_a_term_outside_the_pairing_is_refused(pairing, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        advisor(pairing, **changes).full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_an_advisor_needs_the_enterprise_paired_with_the_village(pairing):
    with pytest.raises(ValidationError) as refused:
        advisor(pairing, village=factories.VillageFactory()).full_clean()
    assert "village" in refused.value.message_dict


def test_a_service_is_by_an_expert_or_an_advisor_of_that_village(pairing):
    kept = advisor(pairing)
    kept.save()
    expert = Expert.objects.create(name="示例专家", institution="示例农业大学", field="果树")
    base = {
        "kind": "lecture",
        "village": pairing.village,
        "held_on": date(2026, 5, 1),
        "topic": "x",
    }
    with pytest.raises(ValidationError):
        Service(**base).full_clean()
    with pytest.raises(ValidationError):
        Service(**base, expert=expert, advisor=kept).full_clean()
    with pytest.raises(ValidationError, match="another village"):
        Service(**base | {"village": factories.VillageFactory()}, advisor=kept).full_clean()
    Service(**base, expert=expert).full_clean()


def test_the_village_page_shows_its_advisors_services_and_trainings(pairing):
    kept = advisor(pairing)
    kept.save()
    Service.objects.create(
        kind="guidance",
        village=pairing.village,
        advisor=kept,
        held_on=date(2026, 5, 1),
        topic="大棚管理",
    )
    Training.objects.create(
        village=pairing.village, held_on=date(2026, 6, 1), topic="电商培训", trainees=40, hours=8
    )
    client = Client()
    client.force_login(factories.UserFactory(role="village", village=pairing.village))
    page = client.get(pairing.village.get_absolute_url()).content.decode()
    assert "示例顾问" in page and "大棚管理" in page and "电商培训" in page
