"""A list too long to export while its user waits is written by a task, as that user sees
it (scope, filters, language), and kept for them alone."""

import io

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from cunqi.core import exports
from cunqi.core.models import ExportJob
from cunqi.core.roles import Role
from cunqi.core.tasks import write_export
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(monkeypatch):
    monkeypatch.setattr(exports, "WAIT_ROWS", 1)
    mine, other = factories.TownFactory(), factories.TownFactory()
    for name in ("石角塔村", "石峁村", "高家堡村"):
        factories.VillageFactory(town=mine, name=name)
    factories.VillageFactory(town=other, name="石窑村")
    return mine, other


def client_of(user):
    client = language_client("en")
    client.force_login(user)
    return client


def test_a_long_list_is_written_by_a_task_as_its_user_sees_it(
    towns, django_capture_on_commit_callbacks
):
    mine, _other = towns
    officer = factories.UserFactory(role=Role.TOWN, town=mine)
    client = client_of(officer)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.get(reverse("registry:village_export"), {"q": "石"})
    job = ExportJob.objects.get()
    assert asked.status_code == 302 and asked["Location"] == reverse(
        "core:exportjob", args=[job.pk]
    )
    assert DBTaskResult.objects.get().args_kwargs["args"] == [job.pk]  # queued for a worker
    waiting = client.get(reverse("core:exportjob", args=[job.pk])).content.decode()
    assert "written in the background" in waiting

    write_export.call(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.rows, job.language) == ("done", 2, "en")
    page = client.get(reverse("core:exportjob", args=[job.pk])).content.decode()
    assert "2 rows written." in page
    assert f'href="{reverse("registry:village_list")}?q=%E7%9F%B3"' in page  # back to the list
    download = client.get(reverse("core:exportjob_file", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    # Its own town's villages matching the filter: not the other town's 石窑村.
    assert {"石角塔村", "石峁村"} <= names and not {"高家堡村", "石窑村"} & names


def test_short_lists_are_still_written_while_their_user_waits(towns):
    mine, _other = towns
    client = client_of(factories.UserFactory(role=Role.TOWN, town=mine))
    download = client.get(reverse("registry:village_export"), {"q": "石角塔"})
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("role", [Role.TOWN, Role.TASKFORCE])
def test_an_export_is_its_users_alone(towns, role):
    mine, other = towns
    job = ExportJob.objects.create(
        user=factories.UserFactory(role=Role.TOWN, town=mine), model="registry.Village"
    )
    write_export.call(job.pk)
    someone = factories.UserFactory(role=role, town=other if role == Role.TOWN else None)
    client = client_of(someone)
    assert client.get(reverse("core:exportjob", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:exportjob_file", args=[job.pk])).status_code == 404


def test_a_user_who_may_no_longer_export_gets_no_file(towns):
    mine, _other = towns
    officer = factories.UserFactory(role=Role.TOWN, town=mine)
    job = ExportJob.objects.create(user=officer, model="registry.Village", language="en")
    officer.is_active = False
    officer.save()
    write_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert job.message == "You may no longer export this list."


def test_old_exports_are_deleted_with_their_files(towns, settings):
    from datetime import timedelta

    from django.utils import timezone

    from cunqi.core.tasks import purge_exports

    mine, _other = towns
    officer = factories.UserFactory(role=Role.TOWN, town=mine)
    old, recent = (
        ExportJob.objects.create(user=officer, model="registry.Village") for _ in range(2)
    )
    for job in (old, recent):
        write_export.call(job.pk)
    ExportJob.objects.filter(pk=old.pk).update(
        started_at=timezone.now() - timedelta(days=settings.CUNQI_EXPORT_KEEP_DAYS + 1)
    )
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    purge_exports.call()
    assert list(ExportJob.objects.all()) == [recent] and not storage.exists(name)
