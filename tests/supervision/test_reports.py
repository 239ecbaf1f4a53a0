"""Monthly reports: written and submitted by the village or enterprise, reviewed by the town."""

from datetime import date

import pytest
from django.urls import reverse

from cunqi.supervision.models import MonthlyReport
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def side():
    return build_side("A")


def report_data(side, month="2026-04", **changes):
    return {
        "project": side.project.pk,
        "month": month,
        "investment_completed": "120000.00",
        "milestones": "大棚完工",
        "jobs": "12",
        "wages": "76800.00",
        "output_value": "0",
        "sales": "0",
        "problems": "",
        **changes,
    }


def test_submit_return_resubmit_accept(side):
    users = build_users(side)
    village = language_client("en")
    village.force_login(users["village"])
    response = village.post(reverse("supervision:monthlyreport_add"), report_data(side))
    assert response.status_code == 302
    report = MonthlyReport.objects.get(month=date(2026, 4, 1))
    village.post(reverse("supervision:monthlyreport_action", args=[report.pk, "submit"]))
    report.refresh_from_db()
    first_submission = report.submitted_at
    assert report.status == MonthlyReport.Status.SUBMITTED
    # Submitted: the village can no longer edit it.
    assert (
        village.get(reverse("supervision:monthlyreport_edit", args=[report.pk])).status_code == 403
    )

    town = language_client("en")
    town.force_login(users["town"])
    action = reverse("supervision:monthlyreport_action", args=[report.pk, "return"])
    page = town.post(action, {"comment": ""}, follow=True).content.decode()
    assert "Say what must change" in page
    town.post(action, {"comment": "补充工资发放明细"})
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED and report.review_comment

    village.post(reverse("supervision:monthlyreport_action", args=[report.pk, "submit"]))
    town.post(reverse("supervision:monthlyreport_action", args=[report.pk, "accept"]))
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.ACCEPTED
    assert report.submitted_at == first_submission  # timeliness counts the first submission
    # The village may not review; the town may not submit.
    assert (
        village.post(
            reverse("supervision:monthlyreport_action", args=[report.pk, "accept"])
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"month": "2099-01"}, "month", "still to come"),
        ({"month": "2026-05"}, None, "already has a report for that month"),
        ({"jobs": "-1"}, "jobs", ""),
    ],
)
def test_bad_reports_are_refused_with_nothing_saved(side, changes, field, message):
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["enterprise"])
    before = MonthlyReport.objects.count()
    response = client.post(reverse("supervision:monthlyreport_add"), report_data(side, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert MonthlyReport.objects.count() == before
