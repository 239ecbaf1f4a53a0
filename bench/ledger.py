"""Post a year's distributions: the ledger's services against per-row ORM posting.

    .venv/bin/python bench/ledger.py --projects 500 --households 200 --engine sqlite postgres

Each project gets one village of ``--households`` households and the seed's 10/10/41/39
structure; a distribution is prepared (payouts computed and stored), approved by a
second user, and posted. The peer posts the same approved distributions with one ORM
``create()`` per journal line. Issue 3 aims at a province (20,000 projects, ~4 million
household payouts) within 5 minutes on PostgreSQL with bounded memory.
"""

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness


def fresh_database(engine: str) -> str:
    if engine == "sqlite":
        path = harness.ROOT / "var" / "bench" / "ledger.sqlite3"
        for file in path.parent.glob(path.name + "*"):
            file.unlink()
        return harness.database_url("sqlite", "ledger")
    import psycopg

    with psycopg.connect(f"{harness.POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute('drop database if exists "cunqi_bench_ledger"')
    return harness.database_url("postgres", "ledger")


def build(projects: int, households: int):
    """Projects with villages, households and structures; no history (bulk data)."""
    from datetime import date
    from decimal import Decimal

    from auditlog.context import disable_auditlog
    from django.db import transaction

    from cunqi.accounts.models import User
    from cunqi.benefits.models import EquityStructure, Stake
    from cunqi.benefits.services import save_structure
    from cunqi.core.models import CooperationModel, Industry
    from cunqi.core.uscc import check_character
    from cunqi.projects.models import Project
    from cunqi.registry.models import Enterprise, Household, Town, Village, VillageGroup, Zone

    with transaction.atomic(), disable_auditlog():
        town = Town.objects.create(zone=Zone.objects.create(name="基准片区"), name="基准镇")
        industry = Industry.objects.get(code="processing")
        model = CooperationModel.objects.get(code="orders")
        villages = Village.objects.bulk_create(
            Village(town=town, code=f"96{n:010d}", name=f"基准村{n:05d}") for n in range(projects)
        )
        enterprises = Enterprise.objects.bulk_create(
            Enterprise(
                uscc=f"9161{n:013d}" + check_character(f"9161{n:013d}"),
                name=f"基准企业{n:05d}",
                ownership="private",
                industry=industry,
            )
            for n in range(projects)
        )
        groups = VillageGroup.objects.bulk_create(
            VillageGroup(village=v, name="第1组") for v in villages
        )
        for start in range(0, projects, 50):
            Household.objects.bulk_create(
                Household(village=v, number=f"{h:04d}", head_name=f"户{h}", members=1 + h % 5)
                for v in villages[start : start + 50]
                for h in range(households)
            )
        created = []
        for n, (village, enterprise, group) in enumerate(
            zip(villages, enterprises, groups, strict=True)
        ):
            project = Project.objects.create(
                code=f"BL{n:06d}",
                name=f"基准项目{n}",
                industry=industry,
                status="operating",
                planned_investment=Decimal(0),
            )
            project.villages.set([village])
            project.enterprises.set([enterprise])
            project.cooperation_models.set([model])
            save_structure(
                EquityStructure(project=project, valid_from=date(2024, 1, 1)),
                [
                    Stake(holder="village_collective", village=village, share=Decimal(10)),
                    Stake(holder="village_group", village_group=group, share=Decimal(10)),
                    Stake(holder="enterprise", enterprise=enterprise, share=Decimal(41)),
                    Stake(holder="villagers", village=village, share=Decimal(39)),
                ],
            )
            created.append(project)
        preparer = User.objects.create(username="bench-town", role="town", town=town)
        approver = User.objects.create(username="bench-leader", role="leader")
        poster = User.objects.create(username="bench-taskforce", role="taskforce")
    return created, preparer, approver, poster


def measure(url: str, projects: int, households: int) -> dict:
    harness.setup_django(url)
    from decimal import Decimal

    from auditlog.context import disable_auditlog
    from django.db import transaction

    from cunqi.benefits import services
    from cunqi.benefits.models import Distribution, JournalEntry, JournalLine, Payout

    figures = {}
    started = time.perf_counter()
    created, preparer, approver, poster = build(projects, households)
    figures["setup s"] = time.perf_counter() - started

    half = len(created) // 2
    tracemalloc.start()
    with disable_auditlog():
        started = time.perf_counter()
        distributions = [
            services.approve_distribution(
                services.prepare_distribution(project, 2025, Decimal("1000000.00"), preparer),
                approver,
            )
            for project in created
        ]
        figures["prepare+approve s"] = time.perf_counter() - started

        started = time.perf_counter()
        for distribution in distributions[:half]:
            services.post_distribution(distribution, poster)
        figures["post (services) s"] = time.perf_counter() - started

        # The peer: the same postings, one ORM create() per line, in one transaction each.
        started = time.perf_counter()
        for distribution in distributions[half:]:
            with transaction.atomic():
                entry = JournalEntry.objects.create(
                    distribution=distribution, kind="posting", created_by=poster
                )
                JournalLine.objects.create(
                    entry=entry,
                    account=f"project:{distribution.project_id}",
                    amount=-distribution.profit,
                )
                for payout in distribution.payouts.select_related("stake"):
                    JournalLine.objects.create(
                        entry=entry,
                        payout=payout,
                        account=services._account(payout),
                        amount=payout.amount,
                    )
                Distribution.objects.filter(pk=distribution.pk).update(status="posted")
        figures["post (per-row ORM) s"] = time.perf_counter() - started
    figures["peak Python memory MB"] = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    posted_lines = JournalLine.objects.filter(entry__distribution__in=distributions[:half]).count()
    peer_lines = JournalLine.objects.filter(entry__distribution__in=distributions[half:]).count()
    figures["payouts"] = Payout.objects.count()
    figures["lines posted (services)"] = posted_lines
    figures["lines posted (peer)"] = peer_lines
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument(
        "--engine", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.projects, args.households)))
        return
    rows = []
    for engine in args.engine:
        url = fresh_database(engine)
        harness.cunqi(url, "migrate", "--verbosity", "0")
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                url,
                "--projects",
                str(args.projects),
                "--households",
                str(args.households),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        rows.append((engine, figures))
        print(engine, figures, flush=True)

    command = (
        f".venv/bin/python bench/ledger.py --projects {args.projects} --households {args.households} "
        f"--engine {' '.join(args.engine)}"
    )
    lines = [
        "## Ledger posting (`bench/ledger.py`)",
        "",
        f"Measured {harness.stamp()}; `{command}`. Half of the approved distributions are posted by",
        "`services.post_distribution` (bulk insert of the lines), the other half by the peer, one ORM",
        "`create()` per line. Rates are journal lines per second.",
        "",
        "| engine | payouts | prepare+approve s | post: services (lines/s) | post: per-row ORM (lines/s) | ratio | peak Python MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, f in rows:
        ours = f["lines posted (services)"] / f["post (services) s"]
        peer = f["lines posted (peer)"] / f["post (per-row ORM) s"]
        lines.append(
            f"| {engine} | {f['payouts']:,} | {f['prepare+approve s']:.1f} | {ours:,.0f} | {peer:,.0f} | "
            f"{ours / peer:.1f}× | {f['peak Python memory MB']:.0f} |"
        )
    harness.write_section(f"ledger-{'-'.join(args.engine)}", "\n".join(lines))


if __name__ == "__main__":
    main()
