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
import resource
import subprocess
import sys
import time
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
    """Projects with villages, households and complete structures, written in bulk (no
    history): a province takes minutes to build one row at a time."""
    from datetime import date
    from decimal import Decimal

    from auditlog.context import disable_auditlog
    from django.db import transaction
    from django.utils import timezone

    from cunqi.accounts.models import User
    from cunqi.benefits.models import EquityStructure, Stake
    from cunqi.core import bulk
    from cunqi.core.models import CooperationModel, Industry
    from cunqi.core.uscc import check_character
    from cunqi.projects.models import Project
    from cunqi.registry.models import Enterprise, Household, Town, Village, VillageGroup, Zone

    now = timezone.now()
    with transaction.atomic(), disable_auditlog():  # set-up, in bulk, without history
        town = Town.objects.create(zone=Zone.objects.create(name="基准片区"), name="基准镇")
        industry = Industry.objects.get(code="processing")
        model = CooperationModel.objects.get(code="orders")
        villages = Village.objects.bulk_create(
            (
                Village(town=town, code=f"96{n:010d}", name=f"基准村{n:05d}")
                for n in range(projects)
            ),
            batch_size=2000,
        )
        enterprises = Enterprise.objects.bulk_create(
            (
                Enterprise(
                    uscc=f"9161{n:013d}" + check_character(f"9161{n:013d}"),
                    name=f"基准企业{n:05d}",
                    ownership="private",
                    industry=industry,
                )
                for n in range(projects)
            ),
            batch_size=2000,
        )
        groups = VillageGroup.objects.bulk_create(
            (VillageGroup(village=v, name="第1组") for v in villages), batch_size=2000
        )
        bulk.insert_rows(
            Household,
            ("village", "number", "head_name", "members", "created_at", "updated_at"),
            (
                (v.pk, f"{h:04d}", f"户{h}", 1 + h % 5, now, now)
                for v in villages
                for h in range(households)
            ),
        )
        created = Project.objects.bulk_create(
            (
                Project(
                    code=f"BL{n:06d}",
                    name=f"基准项目{n}",
                    industry=industry,
                    status="operating",
                    planned_investment=Decimal(0),
                )
                for n in range(projects)
            ),
            batch_size=2000,
        )
        Project.villages.through.objects.bulk_create(
            (
                Project.villages.through(project=p, village=v)
                for p, v in zip(created, villages, strict=True)
            ),
            batch_size=5000,
        )
        Project.enterprises.through.objects.bulk_create(
            (
                Project.enterprises.through(project=p, enterprise=e)
                for p, e in zip(created, enterprises, strict=True)
            ),
            batch_size=5000,
        )
        Project.cooperation_models.through.objects.bulk_create(
            (
                Project.cooperation_models.through(project=p, cooperationmodel=model)
                for p in created
            ),
            batch_size=5000,
        )
        # The seed's 10/10/41/39 structure; marked complete once its stakes are in, as
        # services.save_structure does (the database checks the sum).
        structures = EquityStructure.objects.bulk_create(
            (EquityStructure(project=p, valid_from=date(2024, 1, 1)) for p in created),
            batch_size=2000,
        )
        Stake.objects.bulk_create(
            (
                stake
                for structure, village, enterprise, group in zip(
                    structures, villages, enterprises, groups, strict=True
                )
                for stake in (
                    Stake(
                        structure=structure,
                        holder="village_collective",
                        village=village,
                        share=Decimal(10),
                    ),
                    Stake(
                        structure=structure,
                        holder="village_group",
                        village_group=group,
                        share=Decimal(10),
                    ),
                    Stake(
                        structure=structure,
                        holder="enterprise",
                        enterprise=enterprise,
                        share=Decimal(41),
                    ),
                    Stake(
                        structure=structure, holder="villagers", village=village, share=Decimal(39)
                    ),
                )
            ),
            batch_size=5000,
        )
        EquityStructure.objects.update(is_complete=True)
        preparer = User.objects.create(username="bench-town", role="town", town=town)
        approver = User.objects.create(username="bench-leader", role="leader")
        poster = User.objects.create(username="bench-taskforce", role="taskforce")
    return created, preparer, approver, poster


def peer_account(payout) -> str:
    stake = payout.stake
    if payout.household_id:
        return f"household:{payout.household_id}"
    if stake.village_group_id:
        return f"village_group:{stake.village_group_id}"
    if stake.enterprise_id:
        return f"enterprise:{stake.enterprise_id}"
    return f"village:{stake.village_id}"


def measure(url: str, projects: int, households: int, peer_limit: int) -> dict:
    harness.setup_django(url)
    from decimal import Decimal

    from auditlog.context import disable_auditlog
    from django.db import transaction
    from django.db.models import Sum

    from cunqi.benefits import services
    from cunqi.benefits.models import Distribution, JournalEntry, JournalLine, Payout

    figures = {}
    started = time.perf_counter()
    created, preparer, approver, poster = build(projects, households)
    figures["setup s"] = time.perf_counter() - started

    half = len(created) // 2
    with disable_auditlog():
        started = time.perf_counter()
        services.prepare_distributions(
            2025, {project.pk: Decimal("1000000.00") for project in created}, preparer
        )
        figures["prepare s"] = time.perf_counter() - started
        distributions = list(
            Distribution.objects.filter(year=2025).order_by("pk").values_list("pk", flat=True)
        )
        started = time.perf_counter()
        services.approve_distributions(distributions, approver)
        figures["approve s"] = time.perf_counter() - started

        started = time.perf_counter()
        services.post_distributions(distributions[:half], poster)
        figures["post (services) s"] = time.perf_counter() - started

        # The peer: the same postings, one ORM create() per line, in one transaction each,
        # over at most --peer distributions (at a province's scale it would take hours).
        peer = distributions[half:][:peer_limit]
        started = time.perf_counter()
        for distribution in Distribution.objects.filter(pk__in=peer).iterator():
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
                        account=peer_account(payout),
                        amount=payout.amount,
                    )
                Distribution.objects.filter(pk=distribution.pk).update(status="posted")
        figures["post (per-row ORM) s"] = time.perf_counter() - started
    # Peak resident memory of the whole process, building included (Linux: kB).
    figures["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    posted_lines = JournalLine.objects.filter(
        entry__distribution__pk__lte=distributions[half - 1]
    ).count()
    peer_lines = JournalLine.objects.filter(entry__distribution__pk__in=peer).count()
    unbalanced = (
        JournalLine.objects.values("entry").annotate(total=Sum("amount")).exclude(total=0).count()
    )
    figures["unbalanced entries"] = unbalanced
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
    parser.add_argument(
        "--peer", type=int, default=500, help="distributions the per-row peer posts (at most)"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.projects, args.households, args.peer)))
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
                "--peer",
                str(args.peer),
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
        f"--peer {args.peer} --engine {' '.join(args.engine)}"
    )
    lines = [
        "## Ledger (`bench/ledger.py`)",
        "",
        f"Measured {harness.stamp()}; `{command}`. All distributions are prepared",
        "(`services.prepare_distributions`) and approved in bulk; half are posted by",
        "`services.post_distributions`; the peer posts up to `--peer` of the others with one ORM",
        "`create()` per journal line. Post rates are journal lines per second; memory is the",
        "process's peak resident size, building the data included.",
        "",
        "| engine | payouts | prepare s | approve s | post s | post: services (lines/s) | post: per-row ORM (lines/s) | ratio | all three s | peak RSS MB | unbalanced entries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, f in rows:
        ours = f["lines posted (services)"] / f["post (services) s"]
        peer = f["lines posted (peer)"] / f["post (per-row ORM) s"]
        # Posting all of them at the services' rate: the bench posts half.
        whole = f["prepare s"] + f["approve s"] + 2 * f["post (services) s"]
        lines.append(
            f"| {engine} | {f['payouts']:,} | {f['prepare s']:.1f} | {f['approve s']:.1f} | "
            f"{f['post (services) s']:.1f} | {ours:,.0f} | {peer:,.0f} | {ours / peer:.0f}× | "
            f"{whole:.0f} | {f['peak RSS MB']:.0f} | {f['unbalanced entries']} |"
        )
    harness.write_section(f"ledger-{'-'.join(args.engine)}", "\n".join(lines))


if __name__ == "__main__":
    main()
