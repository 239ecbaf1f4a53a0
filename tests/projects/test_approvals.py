"""Approval cases: steps in order, the green channel's 容缺受理, uploads that close a
promise, the timeline, the red card for overdue documents, and the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.projects import services
from cunqi.projects.models import Approval, ApprovalDocument, ApprovalEvent, ApprovalStep
from cunqi.supervision import services as supervision
from cunqi.supervision.models import Card, RuleSetting
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer(project):
    return factories.UserFactory(role="town", town=project.villages.first().town)


def open_case(project, officer, green_channel=True) -> Approval:
    return services.open_approval(
        project, green_channel=green_channel, applied_on=timezone.localdate(), user=officer
    )


def first_step(approval) -> ApprovalStep:
    return approval.steps.select_related("stage").first()


def test_a_case_gets_every_stage_and_its_checklist(project, officer):
    approval = open_case(project, officer)
    assert [s.stage.code for s in approval.steps.order_by("order")] == [
        "establishment",
        "land_use",
        "environment",
        "construction_permit",
    ]
    assert approval.documents.filter(status=ApprovalDocument.Status.REQUIRED).count() == 7
    with pytest.raises(ValidationError):
        open_case(project, officer)


def test_green_channel_accepts_with_promises_and_an_upload_closes_one(project, officer):
    approval = open_case(project, officer)
    step = first_step(approval)
    proposal, feasibility = approval.documents.filter(kind__stage=step.stage).order_by(
        "kind__sort_order"
    )
    today = timezone.localdate()
    promises = {
        proposal.pk: (today + timedelta(days=5), "王主任"),
        feasibility.pk: (today + timedelta(days=10), "李工"),
    }
    services.accept_step(step, officer, promises, today=today)
    step.refresh_from_db()
    assert step.status == ApprovalStep.Status.ACCEPTED_MISSING
    assert step.due_on > today
    assert approval.documents.filter(status=ApprovalDocument.Status.PROMISED).count() == 2

    village_cadre = factories.UserFactory(role="village", village=project.villages.first())
    services.supply_document(proposal, SimpleUploadedFile("建议书.pdf", PDF), village_cadre)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.file_name, proposal.supplied_by) == (
        ApprovalDocument.Status.SUPPLIED,
        "建议书.pdf",
        village_cadre,
    )
    assert proposal.file.read() == PDF
    kinds = list(approval.events.values_list("kind", flat=True))
    assert kinds == ["opened", "promised", "promised", "accepted_missing", "supplied"]


@pytest.mark.parametrize(
    ("promise", "message"),
    [
        ((None, "王主任"), "promised by"),
        ((date(2020, 1, 1), "王主任"), "in the past"),
        (("tomorrow", ""), "promised by"),
    ],
)
def test_an_incomplete_or_past_promise_is_refused_and_nothing_changes(
    project, officer, promise, message
):
    approval = open_case(project, officer)
    step = first_step(approval)
    promised_on = (
        timezone.localdate() + timedelta(days=1) if promise[0] == "tomorrow" else promise[0]
    )
    promises = {
        d.pk: (promised_on, promise[1]) for d in approval.documents.filter(kind__stage=step.stage)
    }
    with pytest.raises(ValidationError, match=message):
        services.accept_step(step, officer, promises)
    step.refresh_from_db()
    assert step.status == ApprovalStep.Status.WAITING
    assert not approval.documents.filter(status=ApprovalDocument.Status.PROMISED).exists()


def test_outside_the_green_channel_documents_come_first_and_steps_go_in_order(project, officer):
    approval = open_case(project, officer, green_channel=False)
    step = first_step(approval)
    with pytest.raises(ValidationError, match="green-channel"):
        services.accept_step(step, officer, {})
    for document in approval.documents.filter(kind__stage=step.stage):
        services.supply_document(document, SimpleUploadedFile("a.pdf", PDF), officer)
    later = approval.steps.get(order=2)
    with pytest.raises(ValidationError, match="in order"):
        services.accept_step(later, officer, {})
    services.accept_step(step, officer, {})
    services.approve_step(step, officer)
    step.refresh_from_db()
    assert step.status == ApprovalStep.Status.APPROVED


def test_the_case_is_approved_with_its_last_step(project, officer):
    approval = open_case(project, officer)
    today = timezone.localdate()
    for step in approval.steps.all():
        promises = {
            d.pk: (today, "王主任") for d in approval.documents.filter(kind__stage=step.stage)
        }
        services.accept_step(step, officer, promises)
        services.approve_step(step, officer)
    approval.refresh_from_db()
    assert approval.completed_on == today
    assert approval.events.filter(kind=ApprovalEvent.Kind.COMPLETED).count() == 1


def test_a_bad_upload_keeps_the_promise_open(project, officer):
    approval = open_case(project, officer)
    document = approval.documents.first()
    with pytest.raises(ValidationError):
        services.supply_document(document, SimpleUploadedFile("x.pdf", b"MZ"), officer)
    document.refresh_from_db()
    assert document.status == ApprovalDocument.Status.REQUIRED and not document.file


def test_an_overdue_promise_raises_a_red_card_until_supplied(project, officer):
    project.status = "approving"
    project.save()
    approval = open_case(project, officer)
    step = first_step(approval)
    today = timezone.localdate()
    documents = list(approval.documents.filter(kind__stage=step.stage))
    services.accept_step(step, officer, {d.pk: (today, "王主任") for d in documents})
    later = today + timedelta(days=3)
    supervision.evaluate_cards(later)
    card = Card.objects.get(rule=RuleSetting.Rule.DOCUMENTS)
    assert (card.colour, card.project, card.figures["days"]) == (Card.Colour.RED, project, 3)
    assert "Project proposal" in card.reason_text
    for document in documents:
        services.supply_document(document, SimpleUploadedFile("a.pdf", PDF), officer)
    supervision.evaluate_cards(later)
    card.refresh_from_db()
    assert card.status == Card.Status.RESOLVED


def test_the_pages_walk_a_green_channel_case(project, officer):
    client = language_client("en")
    client.force_login(officer)
    response = client.post(
        reverse("projects:approval_add"),
        {"project": project.pk, "green_channel": "on", "applied_on": timezone.localdate()},
    )
    approval = Approval.objects.get(project=project)
    assert response.url == approval.get_absolute_url()
    step = first_step(approval)
    documents = approval.documents.filter(kind__stage=step.stage)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    accept = reverse("projects:approval_action", args=[approval.pk, "accept"])
    refused = client.post(accept, {"step": step.pk}, follow=True)
    assert "give the date it is promised by" in refused.content.decode()
    fields = {f"promised_on_{d.pk}": due for d in documents} | {
        f"responsible_{d.pk}": "Wang" for d in documents
    }
    client.post(accept, {"step": step.pk, **fields})
    page = client.get(approval.get_absolute_url()).content.decode()
    assert "accepted with documents missing" in page and "by " + due in page

    document = documents.first()
    upload = reverse("projects:approvaldocument_edit", args=[document.pk])
    bad = client.post(upload, {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and "not accepted" in bad.content.decode()
    client.post(upload, {"file": SimpleUploadedFile("proposal.pdf", PDF)})
    download = client.get(reverse("projects:approvaldocument_file", args=[document.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_files_are_served_only_in_scope(project, officer):
    approval = open_case(project, officer)
    document = approval.documents.first()
    services.supply_document(document, SimpleUploadedFile("a.pdf", PDF), officer)
    url = reverse("projects:approvaldocument_file", args=[document.pk])
    stranger = factories.UserFactory(role="village", village=factories.VillageFactory())
    client = language_client("en")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
