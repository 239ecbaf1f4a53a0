"""Excel import at scale: Cunqi's importer against django-import-export, same rows, same checks.

    .venv/bin/python bench/exchange.py --engine sqlite postgres [--households 100000]

Builds once per engine a programme of 1,000 villages and 2,000 projects, writes a filled
households template (100 per village) and an investments template (25 per project), then
imports each file into emptied tables twice per importer, each run in a fresh process so
its peak memory is its own:

* Cunqi: ``exchange.importer.run(commit=True)`` — streaming check, then batched writes.
* django-import-export 4.4 with a ModelResource per model: foreign keys by natural key
  (``ForeignKeyWidget`` on the village code / project code), ``import_id_fields`` on the
  same natural keys, ``clean_model_instances=True`` (each row's ``full_clean``: the field
  validators Cunqi runs, plus the unique checks), in one transaction, as its documentation
  configures an import; the file read with tablib as its admin does.

The checks are comparable, not identical: Cunqi additionally refuses rows outside the
importing user's scope and duplicate rows within the file. Peak memory is the process's
maximum resident set size. Also imports half the households file, to show how Cunqi's
memory grows with the file. Writes its section of bench/RESULTS.md. Aim (issue 6): at
least 5× faster at equal validation, memory bounded as the file grows.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from functools import partial
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness

VILLAGES, PROJECTS = 1_000, 2_000
WORK = harness.ROOT / "var" / "bench" / "exchange"


def prepare(url: str, households: int, investments: int = 50_000) -> dict[str, Path]:
    """The database (migrated, with villages and projects) and the filled files."""
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [str(harness.ROOT / ".venv" / "bin" / "cunqi"), "migrate", "-v0"], check=True, env=env
    )
    harness.setup_django(url)
    from datetime import date
    from decimal import Decimal

    from auditlog.context import disable_auditlog
    from django.utils import translation
    from openpyxl import load_workbook

    from cunqi.core.models import Industry
    from cunqi.exchange import workbooks
    from cunqi.exchange.kinds import KINDS
    from cunqi.projects.models import Project
    from cunqi.registry.models import Town, Village, Zone

    with disable_auditlog():
        if not Village.objects.filter(code__startswith="9100").exists():
            zone = Zone.objects.create(name="基准片区")
            town = Town.objects.create(zone=zone, name="基准镇")
            villages = Village.objects.bulk_create(
                Village(town=town, code=f"9100{n:08d}", name=f"基准村{n:04d}")
                for n in range(VILLAGES)
            )
            industry = Industry.objects.first()
            projects = Project.objects.bulk_create(
                Project(
                    code=f"BM-{n:05d}",
                    name=f"基准项目{n:05d}",
                    industry=industry,
                    planned_investment=Decimal("1000000.00"),
                )
                for n in range(PROJECTS)
            )
            through = Project.villages.through
            through.objects.bulk_create(
                through(project=project, village=villages[n % VILLAGES])
                for n, project in enumerate(projects)
            )
    WORK.mkdir(parents=True, exist_ok=True)
    files = {}
    per_village = households // VILLAGES
    for name, kind, rows in (
        (
            f"households-{households}",
            "households",
            (
                [f"9100{v:08d}", "", f"{h:04d}", f"户主{v}-{h}", 1 + h % 6]
                for v in range(VILLAGES)
                for h in range(per_village)
            ),
        ),
        (
            f"households-{households // 2}",
            "households",
            (
                [f"9100{v:08d}", "", f"{h:04d}", f"户主{v}-{h}", 1 + h % 6]
                for v in range(VILLAGES)
                for h in range(per_village // 2)
            ),
        ),
        (
            f"investments-{investments}",
            "investments",
            islice(
                (
                    [
                        f"BM-{p:05d}",
                        date(2024 + m // 12, 1 + m % 12, 1),
                        source,
                        "100000.00",
                        "80000.50",
                    ]
                    for p in range(PROJECTS)
                    for m in range(5)
                    for source in ("企业", "村集体", "部门资金", "上级资金", "其他")
                ),
                investments,
            ),
        ),
    ):
        path = WORK / f"{name}.xlsx"
        if not path.exists():
            # The template in Chinese, as an office fills it (the peer reads its headers).
            with translation.override("zh-hans"):
                content = workbooks.write(KINDS[kind], rows)
            path.write_bytes(content)
        files[name] = path
    del load_workbook
    return files


def clear(url: str, kind: str) -> None:
    """Remove the benchmark's rows of the kind, in a process of its own, so that nothing
    of it counts in the measured import's time or peak memory."""
    harness.setup_django(url)
    from django.db import transaction

    from cunqi.projects.models import Investment
    from cunqi.registry.models import Household

    model = Household if kind == "households" else Investment
    rows = model.objects.filter(
        **(
            {"village__code__startswith": "9100"}
            if kind == "households"
            else {"project__code__startswith": "BM-"}
        )
    )
    # A raw delete: nothing refers to the benchmark's rows, and the ORM's delete would
    # first load all of them to look for cascades.
    with transaction.atomic():
        rows._raw_delete(rows.db)


def child(url: str, importer: str, kind: str, path: str) -> None:
    """One import in this process; prints its figures as JSON."""
    harness.setup_django(url)
    from cunqi.accounts.models import User
    from cunqi.projects.models import Investment
    from cunqi.registry.models import Household

    model = Household if kind == "households" else Investment
    user, _ = User.objects.get_or_create(username="bench-taskforce", defaults={"role": "taskforce"})
    started = time.perf_counter()
    if importer == "cunqi":
        from cunqi.exchange import importer as cunqi_importer
        from cunqi.exchange.kinds import KINDS

        outcome = cunqi_importer.run(KINDS[kind], partial(Path(path).open, "rb"), user, commit=True)
        rows, errors = outcome.rows, outcome.error_count
    else:
        rows, errors = _import_export(kind, path)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": peak_mb,
                "rows": rows,
                "errors": errors,
                "written": model.objects.count(),
            }
        )
    )


def _import_export(kind: str, path: str) -> tuple[int, int]:
    import tablib
    from django.utils import translation
    from import_export import fields, resources, widgets

    from cunqi.projects.models import Investment, Project
    from cunqi.registry.models import Household, Village

    with translation.override("zh-hans"):
        if kind == "households":

            class HouseholdResource(resources.ModelResource):
                village = fields.Field(
                    column_name="村代码",
                    attribute="village",
                    widget=widgets.ForeignKeyWidget(Village, field="code"),
                )
                number = fields.Field(column_name="户号", attribute="number")
                head_name = fields.Field(column_name="户主", attribute="head_name")
                members = fields.Field(
                    column_name="家庭人口", attribute="members", widget=widgets.IntegerWidget()
                )

                class Meta:
                    model = Household
                    fields = ("village", "number", "head_name", "members")
                    import_id_fields = ("village", "number")
                    clean_model_instances = True

            resource = HouseholdResource()
        else:
            sources = {
                "企业": "enterprise",
                "村集体": "village",
                "部门资金": "department",
                "上级资金": "higher_level",
                "其他": "other",
            }

            class SourceWidget(widgets.Widget):
                def clean(self, value, row=None, **kwargs):
                    return sources[value]

            class InvestmentResource(resources.ModelResource):
                project = fields.Field(
                    column_name="项目编号",
                    attribute="project",
                    widget=widgets.ForeignKeyWidget(Project, field="code"),
                )
                month = fields.Field(
                    column_name="月份", attribute="month", widget=widgets.DateWidget()
                )
                source = fields.Field(
                    column_name="资金来源", attribute="source", widget=SourceWidget()
                )
                planned_amount = fields.Field(
                    column_name="计划投资（元）",
                    attribute="planned_amount",
                    widget=widgets.DecimalWidget(),
                )
                completed_amount = fields.Field(
                    column_name="完成投资（元）",
                    attribute="completed_amount",
                    widget=widgets.DecimalWidget(),
                )

                class Meta:
                    model = Investment
                    fields = ("project", "month", "source", "planned_amount", "completed_amount")
                    import_id_fields = ("project", "month", "source")
                    clean_model_instances = True

            resource = InvestmentResource()
        with open(path, "rb") as handle:
            dataset = tablib.Dataset().load(handle, format="xlsx")
        # Drop the template's example row (the first data row), as Cunqi skips it.
        del dataset[0]
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        return len(dataset), len(result.row_errors()) + len(result.invalid_rows)


def run_child(url: str, importer: str, kind: str, path: Path) -> dict:
    subprocess.run([sys.executable, __file__, "--clear", url, kind], check=True)
    output = subprocess.run(
        [sys.executable, __file__, "--child", url, importer, kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--investments", type=int, default=50_000, help="at most 50,000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--clear", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clear:
        clear(*args.clear)
        return
    if args.child:
        child(*args.child)
        return
    lines = [
        "## Excel import (bench/exchange.py)",
        "",
        f"`.venv/bin/python bench/exchange.py --engine {' '.join(args.engine)} "
        f"--households {args.households} --investments {args.investments}` — {harness.stamp()}",
        "",
        "| engine | file | rows | Cunqi s | Cunqi peak MB | django-import-export s | its peak MB | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for engine in args.engine:
        url = harness.database_url(engine, "exchange")
        files = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, json; sys.path.insert(0, 'bench'); import exchange; "
                f"print(json.dumps({{k: str(v) for k, v in exchange.prepare({url!r}, {args.households}, {args.investments}).items()}}))",
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=harness.ROOT,
        ).stdout
        files = {k: Path(v) for k, v in json.loads(files.strip().splitlines()[-1]).items()}
        for name, path in files.items():
            kind = name.split("-")[0]
            ours = [run_child(url, "cunqi", kind, path) for _ in range(args.repeat)]
            best = min(ours, key=lambda r: r["seconds"])
            assert best["errors"] == 0 and best["written"] == best["rows"], best
            peer = None
            if name != f"households-{args.households // 2}":
                peer = min(
                    (run_child(url, "import-export", kind, path) for _ in range(args.repeat)),
                    key=lambda r: r["seconds"],
                )
                assert peer["written"] == best["rows"], peer
            lines.append(
                f"| {engine} | {name} | {best['rows']:,} | {best['seconds']:.1f} | {best['peak_mb']:.0f} | "
                + (
                    f"{peer['seconds']:.1f} | {peer['peak_mb']:.0f} | {peer['seconds'] / best['seconds']:.1f}× |"
                    if peer
                    else "— | — | — |"
                )
            )
            print(lines[-1], flush=True)
            write(lines)  # kept as it comes: a long run may be stopped
    write(lines)


def write(lines: list[str]) -> None:
    footer = [
        "",
        "Each figure is the best of the runs, each in a fresh process (peak = its maximum "
        "resident set, including Django and the libraries, about 60 MB of it before any row).",
    ]
    harness.write_section("exchange", "\n".join(lines + footer))


if __name__ == "__main__":
    main()
