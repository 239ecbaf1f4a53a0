"""Templates in, exports out: precise errors by row and column, all or nothing, within
scope, and an export that re-imports unchanged."""

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cunqi.exchange import importer, workbooks
from cunqi.exchange.kinds import KINDS
from cunqi.exchange.models import ImportJob
from cunqi.projects.models import Investment
from cunqi.registry.models import Household
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def filled(kind: str, rows: list[list]) -> bytes:
    workbook = load_workbook(io.BytesIO(workbooks.blank(KINDS[kind])))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(kind, content, user, commit=False):
    return importer.run(KINDS[kind], importer.from_bytes(content), user, commit=commit)


@pytest.fixture
def village():
    return factories.VillageFactory(code="610881100201")


@pytest.fixture
def officer(village):
    return factories.UserFactory(role="town", town=village.town)


def test_every_bad_row_is_named_and_nothing_is_written(village, officer):
    content = filled(
        "households",
        [
            ["610881100201", "", "001", "张三", 4],
            ["610881100201", "", "002", "李四", 0],
            ["999999999999", "", "003", "王五", 2],
            ["610881100201", "", "001", "张三", 4],
            ["610881100201", "没有的组", "004", "", 3],
        ],
    )
    outcome = check("households", content, officer, commit=True)
    assert not outcome.committed and not Household.objects.exists()
    assert [(e.row, e.column) for e in outcome.errors] == [
        (4, "members"),
        (5, "village code"),
        (6, ""),
        (7, "head of household"),
    ]
    assert "greater than or equal to 1" in outcome.errors[0].message
    assert "row 3" in outcome.errors[2].message


def test_a_clean_file_imports_whole_then_updates_by_natural_key(village, officer):
    group = factories.VillageGroupFactory(village=village, name="一组")
    rows = [["610881100201", "一组", f"{n:03d}", f"户主{n}", 3] for n in range(1, 6)]
    outcome = check("households", filled("households", rows), officer, commit=True)
    assert (outcome.committed, outcome.created, outcome.updated) == (True, 5, 0)
    assert Household.objects.filter(group=group).count() == 5
    rows[0][3] = "改名"
    outcome = check("households", filled("households", rows), officer, commit=True)
    assert (outcome.created, outcome.updated) == (0, 5)
    assert Household.objects.get(number="001").head_name == "改名"
    from auditlog.models import LogEntry

    # Each row created has its entry with every field; the one row changed, its change.
    entries = LogEntry.objects.get_for_model(Household)
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 5
    created = entries.filter(action=LogEntry.Action.CREATE).first().changes
    assert {"village", "group", "number", "head_name", "members"} <= set(created)
    [changed] = entries.filter(action=LogEntry.Action.UPDATE)
    assert changed.changes == {"head_name": ["户主1", "改名"]}
    assert changed.actor == officer


def test_rows_outside_the_scope_are_refused(village, officer):
    elsewhere = factories.VillageFactory(code="610881200301")
    Household.objects.create(village=elsewhere, number="009", head_name="外村", members=2)
    outcome = check(
        "households", filled("households", [["610881200301", "", "009", "x", 1]]), officer
    )
    assert "not found among the rows you may use" in outcome.errors[0].message
    cadre = factories.UserFactory(role="enterprise", enterprise=factories.EnterpriseFactory())
    outcome = check("households", filled("households", [["610881100201", "", "1", "x", 1]]), cadre)
    assert "may not import" in outcome.errors[0].message


def test_the_wrong_template_and_broken_files_are_refused_whole(village, officer):
    with pytest.raises(importer.WrongFile, match="template for"):
        check("villages", filled("households", []), officer)
    with pytest.raises(importer.WrongFile, match="not an Excel workbook"):
        check("households", b"PK\x03\x04 not really", officer)
    workbook = load_workbook(io.BytesIO(filled("households", [])))
    del workbook["_cunqi"]
    workbook.worksheets[0].delete_cols(1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(importer.WrongFile, match="column “village code” is missing"):
        check("households", buffer.getvalue(), officer)


def test_an_export_reimports_into_an_empty_deployment_unchanged(village, officer):
    taskforce = factories.UserFactory(role="taskforce")
    project = factories.ProjectFactory(code="XM-0001", villages=[village])
    Investment.objects.filter(project=project).delete()
    for month, source, planned in ((3, "enterprise", "100.10"), (4, "department", "=SUM(1)")):
        Investment.objects.create(
            project=project,
            month=date(2026, month, 1),
            source=source,
            planned_amount=Decimal("5.5") if planned.startswith("=") else Decimal(planned),
            completed_amount=Decimal("0.01"),
        )
    Household.objects.create(village=village, number="=1+1", head_name="@张三", members=2)
    exported = {
        kind: workbooks.write(
            KINDS[kind], workbooks.export_rows(KINDS[kind], KINDS[kind].model.objects.all())
        )
        for kind in ("households", "investments")
    }
    sheet = load_workbook(io.BytesIO(exported["households"])).worksheets[0]
    assert sheet["C3"].value == "'=1+1" and sheet["D3"].value == "'@张三"
    before = sorted(
        Investment.objects.values_list("month", "source", "planned_amount", "completed_amount")
    )
    Investment.objects.all().delete()
    Household.objects.all().delete()
    for kind in ("households", "investments"):
        outcome = check(kind, exported[kind], taskforce, commit=True)
        assert outcome.committed, outcome.errors
    after = sorted(
        Investment.objects.values_list("month", "source", "planned_amount", "completed_amount")
    )
    assert after == before
    assert Household.objects.get().number == "=1+1"  # the same text, never a formula


def test_the_pages_check_show_errors_and_import_on_confirmation(village, officer):
    client = language_client("en")
    client.force_login(officer)
    assert client.get(reverse("exchange:template", args=["households"])).status_code == 200
    bad = filled("households", [["610881100201", "", "001", "张三", "four"]])
    response = client.post(
        reverse("exchange:index"),
        {"kind": "households", "file": SimpleUploadedFile("户.xlsx", bad)},
    )
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert "1 error" in page and "not a whole number" in page and "Import all of it" not in page
    good = filled("households", [["610881100201", "", "001", "张三", 4]])
    response = client.post(
        reverse("exchange:index"),
        {"kind": "households", "file": SimpleUploadedFile("户.xlsx", good)},
    )
    job = ImportJob.objects.latest("pk")
    assert "Import all of it" in client.get(response.url).content.decode()
    client.post(reverse("exchange:commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created) == ("imported", 1)
    again = client.post(reverse("exchange:commit", args=[job.pk]), follow=True)
    assert "once" in again.content.decode() and Household.objects.count() == 1
    stranger = language_client("en")
    stranger.force_login(factories.UserFactory(role="town", town=factories.TownFactory()))
    assert stranger.get(reverse("exchange:job", args=[job.pk])).status_code == 404


def test_uploads_that_are_not_safe_workbooks_are_refused_before_reading(officer):
    client = language_client("en")
    client.force_login(officer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    for name, content in (
        ("a.xlsm", buffer.getvalue()),
        ("a.xlsx", buffer.getvalue()),
        ("a.xlsx", b"MZ"),
    ):
        response = client.post(
            reverse("exchange:index"),
            {"kind": "households", "file": SimpleUploadedFile(name, content)},
        )
        assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_the_command_line_dry_run_exits_non_zero_on_errors(village, tmp_path, capsys):
    factories.UserFactory(role="taskforce", username="tf", is_superuser=True)
    path = tmp_path / "households.xlsx"
    path.write_bytes(filled("households", [["610881100201", "", "001", "张三", 0]]))
    with pytest.raises(SystemExit) as exited:
        call_command("import", "households", str(path))
    assert exited.value.code == 1
    assert (
        "row 3, members: Ensure this value is greater than or equal to 1."
        in capsys.readouterr().out
    )
    path.write_bytes(filled("households", [["610881100201", "", "001", "张三", 1]]))
    call_command("import", "households", str(path), "--commit")
    assert Household.objects.count() == 1
    call_command("template", "villages", "--out", str(tmp_path / "v.xlsx"))
    assert load_workbook(tmp_path / "v.xlsx").worksheets[0]["B1"].value


def test_every_kind_exports_and_reimports_without_a_change():
    """The scoping matrix's world, exported kind by kind and imported back over itself:
    no error, and every row's values the same (the empty-deployment round trip is the
    households and investments test above)."""
    from tests.scoping_world import build_side

    build_side("A")
    taskforce = factories.UserFactory(role="taskforce")
    for code, kind in KINDS.items():
        fields = [c.field for c in kind.columns]
        paths = [kind.exports.get(f, f) for f in fields]
        queryset = kind.model.objects.all()
        if code == "monthly_reports":
            queryset = queryset.filter(project__isnull=False)
        before = sorted(map(repr, queryset.values_list(*paths)))
        content = workbooks.write(kind, workbooks.export_rows(kind, queryset))
        outcome = check(code, content, taskforce, commit=True)
        assert outcome.ok and outcome.updated == len(before), (code, outcome.errors)
        assert sorted(map(repr, queryset.values_list(*paths))) == before, code


def test_kind_rules_beyond_types_are_checked(village, officer):
    project = factories.ProjectFactory(code="XM-0002", villages=[village])
    Household.objects.create(village=village, number="007", head_name="张三", members=3)
    outcome = check(
        "employment",
        filled(
            "employment",
            [
                ["XM-0002", "610881100201", "008", "李四", "", "3000", "2026-03", ""],
                ["XM-0002", "610881100201", "007", "张三", "", "3000", "2026-05", "2026-03"],
            ],
        ),
        officer,
    )
    assert [(e.row, e.column) for e in outcome.errors] == [
        (3, "household number"),
        (4, "to month"),
    ]
    reporter = factories.UserFactory(role="village", village=village)
    outcome = check(
        "monthly_reports", filled("monthly_reports", [["XM-0002", "2099-01"]]), reporter
    )
    assert "still to come" in outcome.errors[0].message
    assert project.monthly_reports.count() == 0


def test_a_full_export_restores_what_was_deleted(tmp_path):
    """`cunqi export all`, then the households, employment, investments and pairings
    deleted, then every file imported in its numbered order: the same rows come back.
    (Projects are not yet an exchange kind, so the villages, enterprises and projects
    they refer to stay.)"""
    from cunqi.benefits.models import Employment

    village = factories.VillageFactory(code="610881100201")
    enterprise = factories.EnterpriseFactory()
    pairing = factories.PairingFactory(village=village, enterprise=enterprise)
    project = factories.ProjectFactory(code="XM-0009", villages=[village], enterprises=[enterprise])
    household = Household.objects.create(village=village, number="001", head_name="张三", members=3)
    Employment.objects.create(
        project=project,
        household=household,
        worker_name="张三",
        monthly_wage=Decimal("6400.00"),
        start_month=date(2026, 1, 1),
    )
    taskforce = factories.UserFactory(role="taskforce", username="tf", is_superuser=True)
    call_command("export", "all", "--out", str(tmp_path), stdout=io.StringIO())
    snapshot = {
        kind.code: sorted(
            map(
                repr,
                kind.model.objects.values_list(
                    *[kind.exports.get(c.field, c.field) for c in kind.columns]
                ),
            )
        )
        for kind in KINDS.values()
    }
    Employment.objects.all().delete()
    Investment.objects.all().delete()
    Household.objects.all().delete()
    pairing.delete()
    for path in sorted(tmp_path.glob("*.xlsx")):
        code = path.stem.split("-", 1)[1]
        outcome = check(code, path.read_bytes(), taskforce, commit=True)
        assert outcome.ok, (code, outcome.errors)
    for kind in KINDS.values():
        paths = [kind.exports.get(c.field, c.field) for c in kind.columns]
        assert sorted(map(repr, kind.model.objects.values_list(*paths))) == snapshot[kind.code], (
            kind.code
        )


def test_projects_join_several_villages_and_keep_to_their_lifecycle(village, officer):
    from cunqi.projects.models import Project

    second = factories.VillageFactory(code="610881100202", town=village.town)
    industry = factories.ProjectFactory().industry
    row = [
        "XM-0100",
        "飞地大棚",
        "610881100201、610881100202",
        "",
        "",
        industry.name_zh,
        "是",
        "building",
        "5000000",
        "2026-03-01",
        15,
        "",
        "",
    ]
    # Only the task force designates demonstration projects.
    outcome = check("projects", filled("projects", [row]), officer, commit=True)
    assert [(e.column, e.message) for e in outcome.errors] == [
        (
            "demonstration project (示范项目)",
            "Your role may not set “demonstration project (示范项目)”.",
        )
    ]
    row[6] = "否"
    outcome = check("projects", filled("projects", [row]), officer, commit=True)
    assert outcome.committed, outcome.errors
    project = Project.objects.get(code="XM-0100")
    assert set(project.villages.all()) == {village, second} and not project.is_demonstration
    row[2] = "610881100202"
    row[7] = "planned"
    outcome = check("projects", filled("projects", [row]), officer, commit=True)
    assert "cannot move from" in outcome.errors[0].message
    row[7] = "operating"
    outcome = check("projects", filled("projects", [row]), officer, commit=True)
    assert outcome.committed and list(project.villages.all()) == [second]


def test_a_workbook_carrying_an_xml_bomb_is_refused_not_expanded(village, officer):
    """openpyxl parses with defusedxml (installed as a dependency): entity declarations in
    a sheet are refused before anything is expanded."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    source = io.BytesIO(filled("households", [["610881100201", "", "001", "张三", 3]]))
    bomb = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w") as changed:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declaration = (
                    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    + b"".join(
                        b'<!ENTITY lol%d "%s">'
                        % (n, (b"&lol%d;" % (n - 1) if n else b"&lol;") * 10)
                        for n in range(1, 9)
                    )
                    + b"]>"
                )
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = declaration + body
            changed.writestr(item, data)
    with pytest.raises(importer.WrongFile):
        check("households", bomb.getvalue(), officer)
    assert Household.objects.count() == 0


def test_the_job_page_sees_how_far_an_import_has_got_while_its_transaction_is_open(
    village, officer, monkeypatch
):
    """Progress is written outside the import's transaction, so another process (the
    page, polling) sees it move; it is cleared when the job ends."""
    from django.core.cache import caches

    from cunqi.exchange import services

    monkeypatch.setattr(importer, "BATCH", 2)
    rows = [["610881100201", "", f"{n:03d}", f"户主{n}", 3] for n in range(1, 8)]
    upload = SimpleUploadedFile("h.xlsx", filled("households", rows))
    job = services.start("households", upload, officer, "en")
    assert job.status == ImportJob.Status.CHECKED and job.rows == 7
    seen = []
    store = caches["progress"].set

    def record(key, figures, timeout=None):
        store(key, figures, timeout)
        shown = services.with_progress(ImportJob.objects.get(pk=job.pk))
        seen.append((shown.status, shown.progress, Household.objects.count()))

    monkeypatch.setattr(caches["progress"], "set", record)
    services.request_commit(job)
    # Read and checked first (nothing written, no transaction), then written (rows
    # visible only inside the import's own transaction): each half of the bar.
    assert seen == [
        ("importing", 14, 0),
        ("importing", 28, 0),
        ("importing", 42, 0),
        ("importing", 57, 2),
        ("importing", 71, 4),
        ("importing", 85, 6),
    ]
    job.refresh_from_db()
    assert services.with_progress(job).progress == 100
    assert caches["progress"].get(f"import-progress:{job.pk}") is None


def _claiming(content: bytes, dimension: str) -> bytes:
    """The workbook with its sheet's declared size rewritten (as a forged file has it)."""
    source, forged = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(forged, "w") as changed:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
                if b"<dimension" not in data:
                    data = data.replace(
                        b"<sheetData", f'<dimension ref="{dimension}"/><sheetData'.encode()
                    )
            changed.writestr(item, data)
    return forged.getvalue()


def test_a_sheet_claiming_a_huge_size_is_read_as_it_is(village, officer, monkeypatch):
    """A 1.5 KB file may declare 50,000 × 16,384 cells; the reader pads every row to a
    declared size it trusts, so the import reads only what the sheet holds."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    content = _claiming(
        filled("households", [["610881100201", "", "001", "张三", 3]]), "A1:XFD50000"
    )
    widths = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(sheet, *args, **kwargs):
        for row in iter_rows(sheet, *args, **kwargs):
            widths.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    outcome = check("households", content, officer)
    assert outcome.ok and outcome.rows == 1
    columns = len(KINDS["households"].columns)
    assert len(widths) == 4 and max(widths) <= columns  # the meta sheet, header, example, row


def test_a_sheet_beyond_the_row_limit_is_refused_early(village, officer, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    rows = [["610881100201", "", f"{n:03d}", "张三", 3] for n in range(1, 4)]
    with pytest.raises(importer.WrongFile, match="more than 2 rows"):
        check("households", filled("households", rows), officer)


def test_reference_names_in_the_hidden_list_sheet_are_never_formulas():
    from cunqi.core.models import Industry

    trap = '=HYPERLINK("http://x","点")'
    Industry.objects.create(code="trap", name_zh=trap, name_en=trap)
    workbook = load_workbook(io.BytesIO(workbooks.blank(KINDS["enterprises"])))
    cells = [cell for row in workbook["_lists"].iter_rows() for cell in row if cell.value]
    trap = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert trap and all(cell.data_type == "s" and not cell.value.startswith("=") for cell in trap)


def test_a_list_page_exports_its_filtered_rows_in_the_template_layout(village):
    """The list's export is the kind's layout: the rows its filter shows, row 2 left
    empty, and the file re-imports as it is."""
    other = factories.VillageFactory(code="610881100299")
    taskforce = factories.UserFactory(role="taskforce")
    client = language_client("en")
    client.force_login(taskforce)
    response = client.get(reverse("registry:village_export"), {"town": village.town_id})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == str(KINDS["villages"].columns[0].header)
    assert not any(rows[1])
    column = next(i for i, c in enumerate(KINDS["villages"].columns) if c.field == "code")
    codes = [row[column] for row in rows[2:]]
    assert village.code in codes and other.code not in codes
    assert check("villages", response.content, taskforce).errors == []
