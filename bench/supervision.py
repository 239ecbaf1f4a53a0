"""Supervision at scale: evaluating the card rules, the monthly bulletin, the annual evaluation.

    .venv/bin/python bench/supervision.py --scale province nation --engine postgres

Uses the synthetic programme of bench/cockpit.py (``cunqi synth``; built once per scale and
engine), to which it adds, once, monthly reports for the last two due months (nine in ten
supervised projects on time, the rest late or missing) and a joint meeting's action items.
Then it times ``evaluate_cards`` twice (issuing every card, then keeping them current),
the month's bulletin (figures, chart, .docx, .xlsx and .pdf) and the annual evaluation of
every town. Aims (issue 4): cards ≤ 2 min at nation scale on PostgreSQL; the bulletin ≤ 20 s
and the evaluation at province scale.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness
from cockpit import prepare


def add_supervision_rows() -> None:
    """Reports for the last two due months and a meeting's items, unless already there."""
    from datetime import datetime, timedelta
    from datetime import time as clock

    from auditlog.context import disable_auditlog
    from django.db import transaction
    from django.utils import timezone

    from cunqi.core import bulk
    from cunqi.projects.models import Project
    from cunqi.registry.models import Town
    from cunqi.supervision import rules
    from cunqi.supervision.models import ActionItem, Meeting, MonthlyReport
    from cunqi.supervision.rules import SUPERVISED, last_due_month, months_back

    if MonthlyReport.objects.exists():
        return
    today = timezone.localdate()
    months = months_back(last_due_month(today, 10), 2)
    now = timezone.now()
    # A list, not a query: nothing may use the connection while COPY streams the rows.
    projects = list(Project.objects.filter(status__in=SUPERVISED).values_list("pk", flat=True))

    def rows():
        for n, project in enumerate(projects):
            for month in months:
                if n % 20 == 7:
                    continue  # missing
                due = rules.report_due_on(month, 10)
                late = n % 20 == 3
                submitted = due + timedelta(days=2 if late else -3)
                at = timezone.make_aware(datetime.combine(submitted, clock(9)))
                yield (project, month, "submitted", at, 0, "", 0, 0, "", "", now, now)

    with transaction.atomic(), disable_auditlog():  # set-up, in bulk, without history
        bulk.insert_rows(
            MonthlyReport,
            (
                "project",
                "month",
                "status",
                "submitted_at",
                "investment_completed",
                "milestones",
                "output_value",
                "sales",
                "problems",
                "review_comment",
                "created_at",
                "updated_at",
            ),
            rows(),
        )
        meeting = Meeting.objects.create(held_on=today - timedelta(days=90), topic="基准联席会议")
        ActionItem.objects.bulk_create(
            ActionItem(
                meeting=meeting,
                title=f"督办{n}",
                owner_town_id=town,
                deadline=today - timedelta(days=n % 60),
            )
            for n, town in enumerate(Town.objects.values_list("pk", flat=True)[:2000])
        )


def measure(url: str) -> dict:
    harness.setup_django(url)
    from datetime import date
    from decimal import Decimal

    from django.utils import translation

    from cunqi.accounts.models import User
    from cunqi.supervision import bulletin, rules, services
    from cunqi.supervision.models import Card, EvaluationIndicator, EvaluationScheme, Instruction
    from cunqi.supervision.selectors import evaluation as evaluation_selectors

    add_supervision_rows()
    # The first evaluation starts from no card (and so from no instruction on one).
    Instruction.objects.filter(card__isnull=False).delete()
    Card.objects.all().delete()
    figures = {}
    started = time.perf_counter()
    first = services.evaluate_cards()
    figures["cards: first evaluation s"] = time.perf_counter() - started
    started = time.perf_counter()
    services.evaluate_cards()
    figures["cards: again s"] = time.perf_counter() - started
    figures["cards issued"] = first.issued

    from cunqi.projects.models import Project

    if Project.objects.count() > 100_000:
        # A nation's bulletin would list its ~million cards: bulletins and evaluations are
        # per province there (DESIGN §4), and the aims for them are at province scale.
        return figures
    month = rules.last_due_month(date.today(), 10)
    started = time.perf_counter()
    with translation.override("zh-hans"):
        files = bulletin.files(month)
    figures["bulletin s"] = time.perf_counter() - started
    figures["bulletin MB"] = sum(len(content) for content in files.values()) / 1e6

    scheme = EvaluationScheme.objects.filter(
        year=date.today().year
    ).first() or services.save_scheme(
        EvaluationScheme(year=date.today().year, name="基准评价"),
        [
            EvaluationIndicator(code=code, weight=Decimal(weight))
            for code, weight in services.DEFAULT_WEIGHTS.items()
        ],
        User.objects.get_or_create(username="bench-taskforce", defaults={"role": "taskforce"})[0],
    )
    started = time.perf_counter()
    results = evaluation_selectors.evaluate(scheme, "town")
    figures["evaluation s"] = time.perf_counter() - started
    figures["towns evaluated"] = len(results)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", nargs="+", default=["province"], choices=["county", "province", "nation"]
    )
    parser.add_argument("--engine", nargs="+", default=["postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    rows = []
    for scale in args.scale:
        for engine in args.engine:
            url, _synth = prepare(engine, scale)
            output = subprocess.run(
                [sys.executable, __file__, "--measure", url],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            print(scale, engine, figures, flush=True)
            rows.append((scale, engine, figures))
    command = (
        f".venv/bin/python bench/supervision.py --scale {' '.join(args.scale)} "
        f"--engine {' '.join(args.engine)}"
    )
    lines = [
        "## Supervision (`bench/supervision.py`)",
        "",
        f"Measured {harness.stamp()}; `{command}`. On `cunqi synth` data plus two months of",
        "monthly reports (1 in 20 projects late, 1 in 20 missing) and 2,000 action items.",
        "",
        "| scale | engine | cards issued | cards: first evaluation s | cards: again s | bulletin s (3 files, MB) | evaluation s (towns) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for scale, engine, f in rows:
        bulletin = f"{f['bulletin s']:.1f} ({f['bulletin MB']:.1f})" if "bulletin s" in f else "—"
        evaluation = (
            f"{f['evaluation s']:.1f} ({f['towns evaluated']:,})" if "evaluation s" in f else "—"
        )
        lines.append(
            f"| {scale} | {engine} | {f['cards issued']:,} | {f['cards: first evaluation s']:.1f} | "
            f"{f['cards: again s']:.1f} | {bulletin} | {evaluation} |"
        )
    harness.write_section(
        f"supervision-{'-'.join(args.scale)}-{'-'.join(args.engine)}", "\n".join(lines)
    )


if __name__ == "__main__":
    main()
