"""Leaders' instructions (批示): a leader gives one in their own name on a pairing, a
project, a card or a report; only the unit it names answers; the leader closes it or
sends it back; each side is told, and the homes list what waits for whom."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.core.doors import door
from cunqi.core.models import Department, Notification
from cunqi.core.roles import Role
from cunqi.supervision import services
from cunqi.supervision.models import Instruction
from cunqi.supervision.selectors import work
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = build_side("A"), build_side("B")
    users = build_users(a)
    Instruction.objects.all().delete()
    return a, b, users


def give(user, subject: dict, **values) -> Instruction:
    """An instruction through the door (ids by field name, as a page's form gives them)."""
    deadline = timezone.localdate() + timedelta(days=10)
    ids = {
        f"{name}_id": value for name, value in {**subject, **values}.items() if name != "deadline"
    }
    if "deadline" in values:
        deadline = values["deadline"]
    return door(Instruction).create(
        user, {"text": "本月底前完成用地报批", "deadline": deadline, **ids}
    )


def test_a_leader_gives_one_in_their_own_name_and_the_town_is_told(world):
    a, _b, users = world
    officer = users[Role.TOWN]
    instruction = give(users[Role.LEADER], {"pairing": a.pairing.pk, "answer_town": a.town.pk})
    assert instruction.leader == a.leader
    assert instruction.given_on == timezone.localdate()
    assert instruction.given_by == users[Role.LEADER]
    assert instruction.status == Instruction.Status.OPEN
    told = officer.notifications.get()
    assert told.kind == Notification.Kind.INSTRUCTION_GIVEN
    assert told.url == instruction.get_absolute_url()
    assert list(work.instructions_to_answer(officer)) == [instruction]
    assert list(work.instructions_given(users[Role.LEADER])) == [instruction]


@translation.override("en")
def test_a_leader_cannot_write_in_another_leaders_name_nor_without_a_person(world):
    a, b, users = world
    with pytest.raises(ValidationError) as error:
        give(
            users[Role.LEADER],
            {"pairing": a.pairing.pk, "answer_town": a.town.pk, "leader": b.leader.pk},
        )
    assert "own name" in str(error.value.message_dict["leader"])
    unlinked = factories.UserFactory(role=Role.LEADER)
    with pytest.raises(ValidationError) as error:
        give(unlinked, {"pairing": a.pairing.pk, "answer_town": a.town.pk})
    assert "not linked" in str(error.value.message_dict["leader"])
    assert not Instruction.objects.exists()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"answer_town": "A"}, "pairing"),  # on nothing
        ({"pairing": "pairing", "project": "project", "answer_town": "A"}, "pairing"),
        ({"pairing": "pairing"}, "answer_town"),  # nobody to answer
        ({"pairing": "pairing", "answer_town": "A", "answer_department": "water"}, None),
    ],
)
def test_one_subject_and_one_unit(world, values, field):
    a, _b, users = world
    resolved = {
        "pairing": a.pairing.pk,
        "project": a.project.pk,
        "A": a.town.pk,
        "water": Department.objects.get(code="water").pk,
    }
    with pytest.raises(ValidationError) as error:
        give(
            users[Role.TASKFORCE],
            {name: resolved[key] for name, key in values.items()},
            leader=a.leader.pk,
        )
    assert (field or "answer_department") in error.value.message_dict
    assert not Instruction.objects.exists()


def test_the_deadline_is_not_before_the_day_given(world):
    a, _b, users = world
    with pytest.raises(ValidationError) as error:
        give(
            users[Role.LEADER],
            {"pairing": a.pairing.pk, "answer_town": a.town.pk},
            deadline=timezone.localdate() - timedelta(days=1),
        )
    assert "deadline" in error.value.message_dict


def test_only_the_named_unit_answers_and_the_leader_is_told(world):
    a, b, users = world
    instruction = give(users[Role.LEADER], {"project": a.project.pk, "answer_town": a.town.pk})
    other_town = factories.UserFactory(role=Role.TOWN, town=b.town)
    with pytest.raises(Http404):  # another town does not even see it
        services.answer_instruction(instruction, other_town, "已办")
    with pytest.raises(PermissionDenied):  # a department may answer, but not this one
        services.answer_instruction(instruction, users[Role.DEPARTMENT], "已办")
    with pytest.raises(Http404):  # villages see no instruction
        services.answer_instruction(instruction, users[Role.VILLAGE], "已办")
    with pytest.raises(ValidationError):
        services.answer_instruction(instruction, users[Role.TOWN], "  ")
    answered = services.answer_instruction(instruction, users[Role.TOWN], "用地预审已报市局")
    assert (answered.status, answered.answered_by) == (
        Instruction.Status.ANSWERED,
        users[Role.TOWN],
    )
    told = users[Role.LEADER].notifications.get()
    assert told.kind == Notification.Kind.INSTRUCTION_ANSWERED
    # Answered, it is fixed: only the leader's follow-up moves it.
    with pytest.raises(ValidationError):
        door(Instruction).update(users[Role.LEADER], answered, {"text": "改"})
    with pytest.raises(ValidationError):
        services.answer_instruction(answered, users[Role.TOWN], "再答")


def test_a_department_answers_what_names_it(world):
    a, _b, users = world
    water = users[Role.DEPARTMENT]
    instruction = give(
        users[Role.LEADER], {"project": a.project.pk, "answer_department": water.department_id}
    )
    assert list(work.instructions_to_answer(water)) == [instruction]
    assert services.answer_instruction(instruction, water, "资金已下达").status == "answered"


def test_sent_back_then_answered_again_then_closed(world):
    a, _b, users = world
    leader, town = users[Role.LEADER], users[Role.TOWN]
    instruction = give(leader, {"card": a.card.pk, "answer_town": a.town.pk})
    services.answer_instruction(instruction, town, "已制定整改措施")
    with pytest.raises(ValidationError):  # sent back, it says what is still wanted
        services.follow_up_instruction(instruction, leader, close=False)
    back = services.follow_up_instruction(instruction, leader, close=False, comment="补充时间表")
    assert back.status == Instruction.Status.OPEN
    assert town.notifications.filter(kind=Notification.Kind.INSTRUCTION_RETURNED).exists()
    services.answer_instruction(back, town, "时间表：12月20日前完成")
    closed = services.follow_up_instruction(back, leader, close=True)
    assert (closed.status, closed.closed_on) == (Instruction.Status.CLOSED, timezone.localdate())
    assert closed.follow_up == "补充时间表"
    assert town.notifications.filter(kind=Notification.Kind.INSTRUCTION_CLOSED).exists()
    assert list(work.instructions_given(leader)) == []


def test_another_leader_may_read_but_not_close(world):
    a, _b, users = world
    instruction = give(users[Role.LEADER], {"pairing": a.pairing.pk, "answer_town": a.town.pk})
    services.answer_instruction(instruction, users[Role.TOWN], "已办")
    other = factories.UserFactory(role=Role.LEADER, person=factories.PersonFactory())
    with pytest.raises(PermissionDenied):
        services.follow_up_instruction(instruction, other, close=True)
    with pytest.raises(PermissionDenied):
        door(Instruction).update(other, instruction, {"text": "改"})


def test_the_cycle_through_the_pages(world):
    a, _b, users = world
    leader = language_client("en")
    leader.force_login(users[Role.LEADER])
    add = f"{reverse('supervision:instruction_add')}?pairing={a.pairing.pk}"
    form = leader.get(add).content.decode()
    # Opened from the pairing, the form names the leader and the pairing's town.
    assert f'<option value="{a.leader.pk}" selected>' in form
    assert f'<option value="{a.town.pk}" selected>' in form
    pairing_page = leader.get(a.pairing.get_absolute_url()).content.decode()
    assert add.replace("&", "&amp;") in pairing_page or add in pairing_page
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = leader.post(
        add,
        {
            "leader": a.leader.pk,
            "pairing": a.pairing.pk,
            "text": "督促企业按期发放工资",
            "deadline": deadline,
            "answer_town": a.town.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    instruction = Instruction.objects.get()
    town = language_client("en")
    town.force_login(users[Role.TOWN])
    assert "Leaders&#x27; instructions to answer" in town.get("/").content.decode() or (
        "instructions to answer" in town.get("/").content.decode()
    )
    page = town.get(instruction.get_absolute_url()).content.decode()
    assert "Send the answer" in page
    action = reverse("supervision:instruction_action", args=[instruction.pk, "answer"])
    assert town.post(action, {"answer": "工资已发放"}).status_code == 302
    page = leader.get(instruction.get_absolute_url()).content.decode()
    assert "工资已发放" in page and "Close the instruction" in page
    close = reverse("supervision:instruction_action", args=[instruction.pk, "close"])
    assert leader.post(close, {"follow_up": ""}).status_code == 302
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.CLOSED
    assert instruction.deadline == date.fromisoformat(deadline)
