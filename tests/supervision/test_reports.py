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
        "output_value": "0",
        "sales": "0",
        "problems": "",
        **changes,
    }


def test_submit_return_resubmit_accept(side, django_capture_on_commit_callbacks):
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
    with django_capture_on_commit_callbacks(execute=True):
        town.post(action, {"comment": "补充工资发放明细"})
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.RETURNED and report.review_comment
    # Whoever submitted it is told, with what must change.
    inbox = village.get(reverse("notifications")).content.decode()
    assert "was returned: 补充工资发放明细" in inbox

    village.post(reverse("supervision:monthlyreport_action", args=[report.pk, "submit"]))
    with django_capture_on_commit_callbacks(execute=True):
        town.post(reverse("supervision:monthlyreport_action", args=[report.pk, "accept"]))
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.ACCEPTED
    assert "for April 2026 was accepted." in village.get(reverse("notifications")).content.decode()
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
        ({"investment_completed": "-1"}, "investment_completed", ""),
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


PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_photos_are_attached_while_the_report_is_written_and_served_in_scope(side):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cunqi.supervision.models import ReportAttachment

    users = build_users(side)
    village = language_client("en")
    village.force_login(users["village"])
    report = side.monthly_report
    add = reverse("supervision:reportattachment_add")
    refused = village.post(
        add, {"report": report.pk, "file": SimpleUploadedFile("site.exe", b"MZ"), "caption": "x"}
    )
    assert refused.status_code == 400 and "not accepted" in refused.content.decode()
    assert ReportAttachment.objects.count() == 1  # the world's own
    village.post(
        add,
        {
            "report": report.pk,
            "file": SimpleUploadedFile("大棚 现场.png", PHOTO),
            "caption": "大棚",
        },
    )
    attachment = ReportAttachment.objects.get(caption="大棚")
    assert attachment.file_name == "大棚_现场.png"
    page = village.get(report.get_absolute_url()).content.decode()
    assert "大棚_现场.png" in page
    download = village.get(reverse("supervision:reportattachment_file", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PHOTO

    other = build_side("B")
    stranger = language_client("en")
    stranger.force_login(build_users(other)["village"])
    url = reverse("supervision:reportattachment_file", args=[attachment.pk])
    assert stranger.get(url).status_code == 404

    village.post(reverse("supervision:monthlyreport_action", args=[report.pk, "submit"]))
    late = village.post(
        add, {"report": report.pk, "file": SimpleUploadedFile("b.png", PHOTO), "caption": ""}
    )
    assert late.status_code == 400 and not ReportAttachment.objects.filter(file_name="b.png")
    delete = reverse("supervision:reportattachment_delete", args=[attachment.pk])
    assert village.post(delete).status_code == 403


def test_a_report_is_written_with_its_photos_in_one_go_or_not_at_all(side):
    """A phone sends the report and the photos taken for it in one post (its outbox keeps
    them together); a refused photo keeps the whole report back and says which."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    users = build_users(side)
    village = language_client("en")
    village.force_login(users["village"])
    add = reverse("supervision:monthlyreport_add")
    photos = [SimpleUploadedFile("东棚.png", PHOTO), SimpleUploadedFile("西棚.jpg", PHOTO)]
    refused = village.post(add, report_data(side, photos=photos))
    assert refused.status_code == 400
    assert "Photo 2 (西棚.jpg): The file&#x27;s content is not a .jpg file." in (
        refused.content.decode()
    )
    assert not MonthlyReport.objects.filter(month=date(2026, 4, 1)).exists()

    photos = [SimpleUploadedFile("东棚.png", PHOTO), SimpleUploadedFile("西棚.png", PHOTO)]
    assert village.post(add, report_data(side, photos=photos)).status_code == 302
    report = MonthlyReport.objects.get(month=date(2026, 4, 1))
    assert sorted(report.attachments.values_list("file_name", flat=True)) == [
        "东棚.png",
        "西棚.png",
    ]
    assert village.post(add, report_data(side, month="2026-03")).status_code == 302  # none


def test_a_pairings_report_form_does_not_ask_for_an_investment(side):
    users = build_users(side)
    village = language_client("en")
    village.force_login(users["village"])
    add = reverse("supervision:monthlyreport_add")
    pairing_form = village.get(add, {"pairing": side.pairing.pk}).content.decode()
    assert 'type="hidden" name="investment_completed"' in pairing_form
    project_form = village.get(add, {"project": side.project.pk}).content.decode()
    assert 'type="hidden" name="investment_completed"' not in project_form


def test_a_pairing_reports_too_and_a_report_is_of_one_subject(side):
    users = build_users(side)
    village = language_client("en")
    village.force_login(users["village"])
    add = reverse("supervision:monthlyreport_add")
    both = village.post(add, report_data(side, pairing=side.pairing.pk))
    assert both.status_code == 400 and "one of them" in both.content.decode()
    pairing_report = report_data(
        side, project="", pairing=side.pairing.pk, investment_completed="0"
    )
    response = village.post(add, pairing_report)
    report = MonthlyReport.objects.get(pairing=side.pairing)
    assert response.url == report.get_absolute_url()
    again = village.post(add, pairing_report)
    assert "already has a report for that month" in again.content.decode()
    listed = village.get(add.replace("add/", "") + f"?town={side.town.pk}&kind=pairing")
    assert report.get_absolute_url() in listed.content.decode()
    other = build_side("B")
    stranger = language_client("en")
    stranger.force_login(build_users(other)["town"])
    assert stranger.get(report.get_absolute_url()).status_code == 404


def test_an_accepted_report_is_the_months_completed_investment_over_the_planned_sources(side):
    from decimal import Decimal

    from cunqi.projects.models import Investment, MonthlyInvestment
    from cunqi.supervision import services

    users = build_users(side)
    may = side.monthly_report.month
    for source, planned in (("enterprise", "60000.00"), ("village", "40000.00")):
        Investment.objects.create(
            project=side.project,
            month=may,
            source=source,
            planned_amount=Decimal(planned),
            completed_amount=Decimal("10000.00"),  # entered before the report
        )
    report = side.monthly_report
    report.investment_completed = Decimal("100000.01")
    report.save()
    services.submit_report(report, users["village"])
    rollup_before = MonthlyInvestment.objects.get(month=may).completed_total
    # Submitted is not yet counted.
    assert rollup_before == Decimal("20000.00")
    services.review_report(report, users["town"], accept=True)

    rows = {row.source: row for row in Investment.objects.filter(project=side.project, month=may)}
    assert {source: row.completed_amount for source, row in rows.items()} == {
        "enterprise": Decimal("60000.01"),
        "village": Decimal("40000.00"),
    }
    assert all(row.reported for row in rows.values())
    assert rows["enterprise"].planned_amount == Decimal("60000.00")  # the plan is untouched
    assert MonthlyInvestment.objects.get(month=may).completed_total == Decimal("100000.01")

    client = language_client("en")
    client.force_login(users["village"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Completed investment of the month, as recorded (yuan)" in page
    assert "100,000.01" in page
    assert "Villagers employed in the month (employment records)" in page


def test_a_report_of_a_project_without_a_plan_records_its_investment_as_other(side):
    from decimal import Decimal

    from cunqi.projects.models import Investment
    from cunqi.supervision import services

    users = build_users(side)
    report = side.monthly_report
    report.investment_completed = Decimal("5000.00")
    report.save()
    Investment.objects.filter(project=side.project).delete()
    services.submit_report(report, users["village"])
    services.review_report(report, users["town"], accept=True)
    row = Investment.objects.get(project=side.project, month=report.month)
    assert (row.source, row.completed_amount, row.reported) == ("other", Decimal("5000.00"), True)
