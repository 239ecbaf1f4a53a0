"""A quarterly review starts from the quarter's figures: accepted reports, investment and
cards of its subject, as suggested scores and a first paragraph the reviewer corrects."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.core import history
from cunqi.projects.models import Investment
from cunqi.supervision import reviews, services
from cunqi.supervision.models import Card, MonthlyReport, RuleSetting
from cunqi.supervision.selectors.reviews import quarter_figures
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


def figures(**changes) -> reviews.Figures:
    values = {
        "year": 2026,
        "quarter": 1,
        "reports_due": 6,
        "reports_accepted": 5,
        "reports_on_time": 4,
        "planned": Decimal("100000.00"),
        "completed": Decimal("50000.00"),
        "planned_to_date": Decimal("200000.00"),
        "completed_to_date": Decimal("160000.00"),
        "cards": {"red": 1, "green": 2},
        **changes,
    }
    return reviews.Figures(**values)


def test_the_draft_scores_in_proportion_and_says_the_figures_in_one_sentence():
    with translation.override("en"):
        draft = reviews.draft(figures())
    # 40 × 80% of the plan to the quarter's end, 30 × 4 on time of 6 due
    assert (draft.progress_score, draft.work_score) == (32, 20)
    assert "6 monthly reports due, 5 accepted, 4 of them on time" in draft.comments
    assert "(80.0%)" in draft.comments and "1 red、0 yellow、2 green" in draft.comments
    assert "50,000 yuan of 100,000 yuan planned for the quarter" in draft.comments
    with translation.override("zh-hans"):
        chinese = reviews.draft(figures()).comments
    assert "应报月报6份" in chinese and "完成5.00万元" in chinese and "16.00万元" in chinese


def test_nothing_due_or_planned_suggests_no_score_and_more_than_planned_is_full_marks():
    empty = reviews.draft(
        figures(reports_due=0, reports_on_time=0, planned=Decimal(0), planned_to_date=Decimal(0))
    )
    assert (empty.progress_score, empty.work_score) == (None, None)
    ahead = reviews.draft(figures(completed_to_date=Decimal("250000.00")))
    assert ahead.progress_score == 40
    # Its investment finished before the quarter: nothing planned in it, and full marks.
    finished = figures(
        planned=Decimal(0), completed=Decimal(0), completed_to_date=Decimal("200000.00")
    )
    assert reviews.draft(finished).progress_score == 40


def _report(project, month, submitted, accepted, users, amount="0"):
    report = MonthlyReport.objects.create(
        project=project, month=month, investment_completed=Decimal(amount)
    )
    services.submit_report(report, users["village"])
    with history.recorded():  # the day it was submitted, set by the test
        MonthlyReport.objects.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(datetime.combine(submitted, time(9)))
        )
    if accepted:
        services.review_report(report, users["town"], accept=True)


@pytest.fixture
def quarter_one(db):
    side = build_side("A")
    users = build_users(side)
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        Investment.objects.create(
            project=side.project, month=month, source="enterprise", planned_amount=40000
        )
    _report(side.project, date(2026, 1, 1), date(2026, 2, 5), True, users, "30000")
    _report(side.project, date(2026, 2, 1), date(2026, 3, 12), True, users, "20000")  # late
    _report(side.project, date(2026, 3, 1), date(2026, 4, 8), False, users, "90000")  # waiting
    Card.objects.create(
        rule=RuleSetting.Rule.REPORTS,
        colour=Card.Colour.RED,
        subject_key=f"project:{side.project.pk}",
        project=side.project,
        town=side.town,
        reason="reports_missing",
        issued_on=date(2026, 2, 11),
        evaluated_on=date(2026, 2, 11),
    )
    return side, users


def test_the_quarter_counts_accepted_reports_and_their_investment_only(quarter_one):
    side, _users = quarter_one
    for subject in ({"pairing": side.pairing}, {"town": side.town}, {"zone": side.town.zone}):
        found = quarter_figures(2026, 1, **subject)
        assert (found.reports_due, found.reports_accepted, found.reports_on_time) == (3, 2, 1)
        # March's 90,000 waits for its review; the yellow card of June is not this quarter's.
        assert (found.planned, found.completed) == (Decimal("120000.00"), Decimal("50000.00"))
        assert found.cards == {"red": 1}
    elsewhere = quarter_figures(2026, 1, town=build_side("B").town)  # its project reported nothing
    assert (elsewhere.reports_due, elsewhere.reports_accepted, elsewhere.completed) == (3, 0, 0)


def test_a_leader_opens_the_review_from_the_pairing_filled_in(quarter_one):
    side, users = quarter_one
    leader = language_client("en")
    leader.force_login(users["leader"])
    add = reverse("supervision:quarterlyreview_add")
    form = leader.get(f"{add}?year=2026&quarter=1&pairing={side.pairing.pk}").context["form"]
    assert form.initial["progress_score"] == 17  # 40 × 50,000 / 120,000
    assert form.initial["work_score"] == 10  # 30 × 1 on time of 3 due
    assert "3 monthly reports due, 2 accepted, 1 of them on time" in form.initial["comments"]
    # What is typed is kept: the reviewer's own comment is not replaced.
    typed = leader.get(f"{add}?year=2026&quarter=1&town={side.town.pk}&comments=自拟").context
    assert typed["form"].initial["comments"] == "自拟"
    # A link that names no usable subject opens the blank form.
    for query in (
        "year=2026&quarter=9&pairing=1",
        "year=x",
        f"quarter=1&pairing={side.pairing.pk}",
    ):
        page = leader.get(f"{add}?{query}")
        assert page.status_code == 200 and "comments" not in page.context["form"].initial
    # The button that fills the form in is on the new review's page.
    assert "Fill in from the quarter&#x27;s figures" in leader.get(add).content.decode()


def test_the_subjects_pages_link_to_their_review_for_those_who_review(quarter_one):
    side, users = quarter_one
    leader, village = language_client("en"), language_client("en")
    leader.force_login(users["leader"])
    village.force_login(users["village"])
    url = side.pairing.get_absolute_url()
    assert f"pairing={side.pairing.pk}" in leader.get(url).content.decode()
    assert "Review Q" in leader.get(side.town.get_absolute_url()).content.decode()
    assert "Review Q" not in village.get(url).content.decode()
