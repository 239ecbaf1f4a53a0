"""Month-end load on the production setup: gunicorn, a task worker and PostgreSQL, on this
machine, driven by locust (headless, loopback only) with bench/locustfile.py.

    .venv/bin/python bench/load.py --users 200 --minutes 5

A new PostgreSQL database gets the demo programme and one account per village (each
writes its pairing's monthly reports), per town and for the API. After the run, every
report the server confirmed as submitted must be in the database, submitted, with the
photo that was confirmed attached (nothing lost); then throughput and p50/p95/p99 per
endpoint go to bench/RESULTS.md. Aim (issue 7): p95 under 500 ms, no errors.
``--no-write`` leaves RESULTS.md alone (CI runs a short load this way).
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness

sys.path.insert(0, str(harness.ROOT))
from tests import deployed

BIN = harness.ROOT / ".venv" / "bin"
PASSWORD = "load-test-only"

ACCOUNTS = """
import json
from django.contrib.auth.hashers import make_password
from cunqi.accounts.models import User
from cunqi.api import tokens
from cunqi.core.roles import Role
from cunqi.pairing.models import Pairing
from cunqi.registry.models import Town
from cunqi.supervision.models import MonthlyReport

# Each village's cadre reports on its pairing, from this month back: no month is taken.
MonthlyReport.objects.filter(pairing__isnull=False).delete()
password = make_password(%(password)r)  # one hash: 300 accounts, one password
villages = []
for pairing in Pairing.objects.select_related("village").order_by("village_id", "pk"):
    if villages and villages[-1]["village"] == pairing.village_id:
        continue
    user = User.objects.create(
        username=f"load-v{pairing.village_id}", password=password, role=Role.VILLAGE,
        village=pairing.village,
    )
    villages.append({"username": user.username, "village": pairing.village_id, "pairing": pairing.pk})
towns = [
    User.objects.create(
        username=f"load-t{town.pk}", password=password, role=Role.TOWN, town=town
    ).username
    for town in Town.objects.order_by("pk")
]
User.objects.filter(username="leader").update(password=password)
_token, key = tokens.create(User.objects.get(username="taskforce"), "load test")
print(json.dumps({"villages": villages, "towns": towns, "leader": "leader", "api_key": key,
                  "password": %(password)r}))
"""

CHECK = """
import json
from cunqi.supervision.models import MonthlyReport, ReportAttachment
confirmed = json.load(open(%(ledger)r))
reports = MonthlyReport.objects.filter(pk__in=confirmed["submitted"])
print(json.dumps({
    "confirmed_submitted": len(confirmed["submitted"]),
    "found_submitted": reports.filter(status=MonthlyReport.Status.SUBMITTED).count(),
    "confirmed_attachments": confirmed["attachments"],
    "found_attachments": ReportAttachment.objects.filter(report__pairing__isnull=False).count(),
    "reports_in_database": MonthlyReport.objects.filter(pairing__isnull=False).count(),
}))
"""


def percentiles(stats_csv: Path) -> list[dict]:
    with stats_csv.open() as file:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
            }
            for row in csv.DictReader(file)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--spawn-rate", type=float, default=4, help="new users a second")
    parser.add_argument(
        "--pauses",
        type=float,
        nargs=2,
        default=(5, 15),
        metavar=("MIN", "MAX"),
        help="seconds a person spends on a page (default 5 15)",
    )
    parser.add_argument("--gunicorn-workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    options = parser.parse_args()

    name = f"cunqi_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{harness.POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    folder = harness.ROOT / "var" / "load"
    folder.mkdir(parents=True, exist_ok=True)
    env = deployed.production_env(
        f"{harness.POSTGRES_SERVER}/{name}",
        folder / "var",
        CUNQI_LOG_LEVEL="WARNING",
        CUNQI_LOAD_PEOPLE=str(folder / "people.json"),
        CUNQI_LOAD_LEDGER=str(folder / "confirmed.json"),
        CUNQI_LOAD_PAUSES=",".join(map(str, options.pauses)),
        # The month-end path is the report, not the second factor: the simulated villages
        # and towns sign in with their password only (one request fewer per session than
        # production, where they give an authenticator code too).
        CUNQI_TOTP_ROLES="taskforce,admin",
    )
    try:
        deployed.prepare(env)
        people = deployed.cunqi(env, "shell", "-c", ACCOUNTS % {"password": PASSWORD})
        Path(env["CUNQI_LOAD_PEOPLE"]).write_text(people.strip().splitlines()[-1])
        with deployed.serving(
            env,
            folder / "platform.log",
            gunicorn=(
                *("--workers", str(options.gunicorn_workers), "--threads", "4"),
                # Longer than a reader's pause, as nginx keeps its connections; with
                # gunicorn's 2 s a client reusing a connection meets a reset.
                *("--keep-alive", "75"),
            ),
        ) as url:
            started = time.perf_counter()
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(harness.ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    url,  # loopback only
                    "--users",
                    str(options.users),
                    "--spawn-rate",
                    str(options.spawn_rate),
                    "--run-time",
                    f"{int(options.minutes * 60)}s",
                    "--stop-timeout",
                    "30",
                    "--csv",
                    str(folder / "stats"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=env,
                check=False,
            )
            elapsed = time.perf_counter() - started
        check = json.loads(
            deployed.cunqi(env, "shell", "-c", CHECK % {"ledger": env["CUNQI_LOAD_LEDGER"]})
            .strip()
            .splitlines()[-1]
        )
    finally:
        with psycopg.connect(f"{harness.POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    rows = percentiles(folder / "stats_stats.csv")
    print(json.dumps(check, indent=1))
    lost = (
        check["found_submitted"] != check["confirmed_submitted"]
        or check["found_attachments"] < check["confirmed_attachments"]
    )
    if not check["confirmed_submitted"]:
        sys.exit("load test: no report was submitted, so nothing was proved (run longer)")
    failures = sum(row["failures"] for row in rows)
    if not options.no_write:
        write(options, rows, check, elapsed)
    if lost or failures:
        sys.exit(f"load test: {failures} failed requests; lost: {lost}")


def write(options, rows: list[dict], check: dict, elapsed: float) -> None:
    total = next(row for row in rows if row["name"] == "Aggregated")
    lines = [
        "## Month-end load (`bench/load.py`)",
        "",
        f"Measured {harness.stamp()}; `.venv/bin/python bench/load.py --users {options.users} "
        f"--minutes {options.minutes:g}`. gunicorn ({options.gunicorn_workers} workers × 4 "
        "threads) + one `db_worker` + PostgreSQL, production settings, demo programme; locust "
        f"on the same 2 cores (loopback, `FastHttpUser`), {options.users} users spawned at "
        f"{options.spawn_rate:g}/s, {options.pauses[0]:g}–{options.pauses[1]:g} s between pages "
        "(the API client 1–3 s). Aim: p95 under "
        "500 ms with no errors, nothing lost.",
        "",
        f"**{total['rps']:.1f} requests/s** over {elapsed:.0f} s; {total['requests']} requests, "
        f"{total['failures']} failed; p50 {total['p50']} ms, p95 {total['p95']} ms, "
        f"p99 {total['p99']} ms. Reports the server confirmed as submitted: "
        f"{check['confirmed_submitted']}, found submitted afterwards: "
        f"{check['found_submitted']}; photos confirmed {check['confirmed_attachments']}, "
        f"found {check['found_attachments']}.",
        "",
        "| endpoint | requests | failed | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {row['name']} | {row['requests']} | {row['failures']} | {row['rps']:.2f} "
            f"| {row['p50']} | {row['p95']} | {row['p99']} |"
            for row in rows
            if row["name"] != "Aggregated"
        ),
    ]
    harness.write_section("load-month-end", "\n".join(lines))


if __name__ == "__main__":
    main()
