"""Cards issued, kept current, resolved and cleared by the rules; the board counts them."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cunqi.core.models import Department
from cunqi.core.roles import Role
from cunqi.projects.models import Investment
from cunqi.supervision import services
from cunqi.supervision.models import ActionItem, Card, Meeting, MonthlyReport, RuleSetting
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 20)


@pytest.fixture
def project():
    village = factories.VillageFactory()
    project = factories.ProjectFactory(
        villages=[village], status="building", start_date=date(2026, 1, 1)
    )
    Investment.objects.filter(project=project).delete()
    Investment.objects.create(
        project=project,
        month=date(2026, 3, 1),
        source="enterprise",
        planned_amount=Decimal("100.00"),
        completed_amount=Decimal("50.00"),
    )
    for month in (4, 5):  # reports on time for April and May
        MonthlyReport.objects.create(
            project=project,
            month=date(2026, month, 1),
            status=MonthlyReport.Status.SUBMITTED,
            submitted_at=f"2026-{month + 1:02d}-05T09:00:00+08:00",
        )
    return project


def test_a_rule_that_fires_issues_one_card_and_keeps_it_current(project):
    assert services.evaluate_cards(TODAY).issued == 1
    card = Card.objects.get()
    assert (card.rule, card.colour, card.figures["percent"]) == (
        RuleSetting.Rule.INVESTMENT,
        Card.Colour.RED,
        "50.0",
    )
    assert card.town == project.villages.get().town
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Investment.objects.filter(project=project).update(completed_amount=Decimal("80.00"))
    result = services.evaluate_cards(TODAY)
    card.refresh_from_db()
    assert (result.issued, card.colour, card.colour_changed_on) == (0, Card.Colour.YELLOW, TODAY)
    assert Card.objects.count() == 1
    # Written in bulk, and still in the card's history: issued red, then turned yellow.
    entries = LogEntry.objects.get_for_object(card).order_by("pk")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[1].changes_dict["colour"] == [Card.Colour.RED, Card.Colour.YELLOW]


def test_a_card_is_cleared_only_once_the_rule_no_longer_fires_and_the_task_force_confirms(project):
    services.evaluate_cards(TODAY)
    card = Card.objects.get()
    taskforce = factories.UserFactory(role=Role.TASKFORCE)
    with pytest.raises(ValidationError):
        services.clear_card(card, taskforce)
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Investment.objects.filter(project=project).update(completed_amount=Decimal("100.00"))
    assert services.evaluate_cards(TODAY).resolved == 1
    card.refresh_from_db()
    assert card.status == Card.Status.RESOLVED
    services.clear_card(card, taskforce)
    card.refresh_from_db()
    assert (card.status, card.cleared_by) == (Card.Status.CLEARED, taskforce)
    # Firing again later is a new card; the cleared one stays as history.
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Investment.objects.filter(project=project).update(completed_amount=Decimal("10.00"))
    services.evaluate_cards(TODAY)
    assert Card.objects.count() == 2


def test_missing_reports_turn_yellow_then_red(project):
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Investment.objects.filter(project=project).update(completed_amount=Decimal("100.00"))
    services.evaluate_cards(date(2026, 7, 11))  # June's report was due on 10 July
    card = Card.objects.get()
    assert (card.rule, card.colour) == (RuleSetting.Rule.REPORTS, Card.Colour.YELLOW)
    services.evaluate_cards(date(2026, 8, 11))  # July's is missing too
    card.refresh_from_db()
    assert card.colour == Card.Colour.RED and card.figures["months"] == ["2026-06", "2026-07"]


def _quarter_of_reports(project, *, late=(), returned=()):
    """Reports for January to March 2026, submitted on the 5th (late ones on the 15th) and
    accepted (returned ones left returned)."""
    for month in (1, 2, 3):
        MonthlyReport.objects.create(
            project=project,
            month=date(2026, month, 1),
            status=MonthlyReport.Status.RETURNED
            if month in returned
            else MonthlyReport.Status.ACCEPTED,
            submitted_at=f"2026-{month + 1:02d}-{15 if month in late else 5:02d}T09:00:00+08:00",
        )


@pytest.fixture
def on_plan(project):
    """The project's investment complete to plan, with no report yet for the first quarter."""
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Investment.objects.filter(project=project).update(completed_amount=Decimal("100.00"))
        MonthlyReport.objects.filter(project=project).delete()
    return project


def test_a_quarter_on_track_earns_a_green_card_that_lapses_once_no_longer_earned(on_plan):
    _quarter_of_reports(on_plan)
    result = services.evaluate_cards(date(2026, 4, 11))  # March's report was due on 10 April
    card = Card.objects.get()
    assert (result.issued, card.rule, card.colour) == (
        1,
        RuleSetting.Rule.ON_TRACK,
        Card.Colour.GREEN,
    )
    with translation.override("en"):
        assert card.reason_text == (
            "Every monthly report of Q1 2026 came on time and was accepted, "
            "and investment completed reached 100.0% of plan."
        )
    with translation.override("zh-hans"):
        assert "2026年第1季度" in card.reason_text
    # No report for the second quarter: the commendation lapses by itself (nothing to
    # rectify), while the missing reports bring their own card.
    result = services.evaluate_cards(date(2026, 7, 11))
    card.refresh_from_db()
    assert (result.lapsed, result.resolved) == (1, 0)
    assert (card.status, card.cleared_on, card.cleared_by) == (
        Card.Status.CLEARED,
        date(2026, 7, 11),
        None,
    )
    assert Card.objects.filter(rule=RuleSetting.Rule.REPORTS, colour=Card.Colour.RED).exists()


@pytest.mark.parametrize(
    "reports",
    [{"late": (2,)}, {"returned": (3,)}],
    ids=["a report late", "a report returned"],
)
def test_no_green_card_for_a_quarter_with_a_report_late_or_not_accepted(on_plan, reports):
    _quarter_of_reports(on_plan, **reports)
    services.evaluate_cards(date(2026, 4, 11))
    assert not Card.objects.filter(colour=Card.Colour.GREEN).exists()


def test_no_green_card_below_the_share_of_plan_the_task_force_sets(on_plan):
    _quarter_of_reports(on_plan)
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Investment.objects.filter(project=on_plan).update(completed_amount=Decimal("95.00"))
    services.evaluate_cards(date(2026, 4, 11))
    assert not Card.objects.filter(colour=Card.Colour.GREEN).exists()
    setting = RuleSetting.objects.get(rule=RuleSetting.Rule.ON_TRACK)
    setting.green_from = Decimal(95)
    setting.save()
    services.evaluate_cards(date(2026, 4, 11))
    assert Card.objects.filter(colour=Card.Colour.GREEN).count() == 1


def test_a_green_card_takes_no_points_in_the_evaluation(on_plan):
    from cunqi.supervision.selectors.evaluation import evaluation_figures

    _quarter_of_reports(on_plan)
    services.evaluate_cards(date(2026, 4, 11))
    town = on_plan.villages.get().town
    assert Card.objects.get().colour == Card.Colour.GREEN
    assert evaluation_figures(2026)[town]["cards"] == 0


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_card_reads_as_a_sentence_with_its_subject_and_no_internals(project, language):
    services.evaluate_cards(TODAY)
    card = Card.objects.get()
    client = language_client(language)
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    page = client.get(card.get_absolute_url()).content.decode()
    assert f'href="{project.get_absolute_url()}"' in page
    assert ("占计划的50.0%" if language == "zh-hans" else "50.0% of plan") in page
    for internal in (f"project:{project.pk}", "investment_behind", "{&#x27;", "None →"):
        assert internal not in page
    # The history says what the card was issued as, in words.
    assert ("投资进度滞后" if language == "zh-hans" else "investment behind plan") in page


def test_a_pairing_without_a_leader_gets_a_red_card():
    pairing = factories.PairingFactory(leader=None)
    services.evaluate_cards(TODAY)
    card = Card.objects.get(pairing=pairing)
    assert card.colour == Card.Colour.RED and card.town == pairing.village.town


def test_a_disabled_rule_issues_nothing(project):
    with disable_auditlog():  # behind the doors' backs, unrecorded
        RuleSetting.objects.filter(rule=RuleSetting.Rule.INVESTMENT).update(enabled=False)
    assert services.evaluate_cards(TODAY).issued == 0


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_board_counts_by_town_and_drills_down(project, language):
    services.evaluate_cards(TODAY)
    town = project.villages.get().town
    client = language_client(language)
    client.force_login(factories.UserFactory(role=Role.TOWN, town=town))
    page = client.get(reverse("supervision:card_board")).content.decode()
    drill = f"{reverse('supervision:card_list')}?status=open&amp;town={town.pk}&amp;colour=red"
    assert drill in page
    listed = client.get(f"{reverse('supervision:card_list')}?status=open&town={town.pk}&colour=red")
    assert listed.context["table"].paginator.count == 1
    text = listed.content.decode()
    assert ("占计划的50.0%" if language == "zh-hans" else "50.0% of plan") in text
    other = factories.UserFactory(role=Role.TOWN, town=factories.TownFactory())
    client.force_login(other)
    assert ">1<" not in client.get(reverse("supervision:card_board")).content.decode()


def test_thresholds_out_of_order_are_refused_at_the_field():
    setting = RuleSetting.objects.get(rule=RuleSetting.Rule.INVESTMENT)
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    response = client.post(
        reverse("supervision:rulesetting_edit", args=[setting.pk]),
        {"rule": setting.rule, "enabled": "on", "yellow_below": "50", "red_below": "60"},
    )
    assert response.status_code == 400
    assert "must not be above the yellow one" in response.content.decode()
    setting.refresh_from_db()
    assert setting.red_below == Decimal("60.00")


def test_the_evaluate_button_queues_the_task_for_the_task_force_only(project):
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TOWN, town=project.villages.get().town))
    assert client.post(reverse("supervision:card_evaluate")).status_code == 403
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    assert client.post(reverse("supervision:card_evaluate")).status_code == 302


def test_an_overdue_action_item_gets_a_yellow_card_until_done():
    town = factories.TownFactory()
    meeting = Meeting.objects.create(held_on=date(2026, 5, 8), topic="第二次联席会议")
    item = ActionItem.objects.create(
        meeting=meeting, title="落实冷库用地", owner_town=town, deadline=date(2026, 6, 1)
    )
    department_item = ActionItem.objects.create(
        meeting=meeting,
        title="拨付衔接资金",
        owner_department=Department.objects.get(code="agriculture"),
        deadline=date(2026, 6, 1),
    )
    services.evaluate_cards(TODAY)
    card = Card.objects.get(action_item=item)
    assert (card.colour, card.town, card.figures["days"]) == (Card.Colour.YELLOW, town, 19)
    assert Card.objects.get(action_item=department_item).town is None
    item.status, item.done_on = ActionItem.Status.DONE, date(2026, 6, 25)
    item.save()
    services.evaluate_cards(date(2026, 6, 26))
    card.refresh_from_db()
    assert card.status == Card.Status.RESOLVED
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    assert "City departments" in client.get(reverse("supervision:card_board")).content.decode()


def test_an_action_item_needs_an_owner_and_a_deadline_after_its_meeting():
    meeting = Meeting.objects.create(held_on=date(2026, 5, 8), topic="联席会议")
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    data = {"meeting": meeting.pk, "title": "事项", "deadline": "2026-05-01", "status": "open"}
    response = client.post(reverse("supervision:actionitem_add"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "cannot be before the meeting" in text or "responsible town or department" in text
    assert not ActionItem.objects.exists()


def test_a_quarterly_review_is_seen_in_scope_only_once_published():
    from cunqi.supervision.models import QuarterlyReview

    town = factories.TownFactory()
    review = QuarterlyReview.objects.create(
        year=2026,
        quarter=3,
        town=town,
        progress_score=30,
        benefit_score=20,
        work_score=25,
        comments="项目推进偏慢",
        reviewer="市级领导",
    )
    town_user = factories.UserFactory(role=Role.TOWN, town=town)
    assert not QuarterlyReview.objects.visible_to(town_user).exists()
    client = language_client("en")
    client.force_login(town_user)
    assert client.get(review.get_absolute_url()).status_code == 404
    review.published = True
    review.save()
    assert client.get(review.get_absolute_url()).status_code == 200
    leader = language_client("en")
    leader.force_login(factories.UserFactory(role=Role.LEADER))
    data = {
        "year": "2026",
        "quarter": "3",
        "town": town.pk,
        "zone": factories.ZoneFactory().pk,
        "progress_score": "41",
        "benefit_score": "20",
        "work_score": "20",
        "comments": "x",
        "reviewer": "y",
    }
    response = leader.post(reverse("supervision:quarterlyreview_add"), data)
    assert response.status_code == 400
    assert QuarterlyReview.objects.count() == 1
