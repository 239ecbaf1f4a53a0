"""Render the cockpit and filtered list pages at county (demo), province and nation scale.

    .venv/bin/python bench/cockpit.py --scale county province --engine sqlite postgres

Aims (issue 2): cockpit ≤ 300 ms median at province scale on SQLite, ≤ 500 ms at nation
scale on PostgreSQL; a filtered list ≤ 200 ms at nation scale. Also reports how long the
data took to synthesise and the database size. Results go to bench/RESULTS.md.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness

TIMES = harness.ROOT / "var" / "bench" / "synth-times.json"


def prepare(engine: str, scale: str) -> tuple[str, float | None]:
    url = harness.database_url(engine, scale)
    harness.cunqi(url, "migrate", "--verbosity", "0")
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    key = f"{scale}-{engine}"
    probe = subprocess.run(
        [sys.executable, __file__, "--probe", url], capture_output=True, text=True, check=True
    )
    if probe.stdout.strip() == "empty":
        if scale == "county":
            times[key] = harness.cunqi(url, "demo")
        else:
            times[key] = harness.cunqi(url, "synth", "--scale", scale, "--seed", "1")
        TIMES.write_text(json.dumps(times, indent=1))
    return url, times.get(key)


def probe(url: str) -> None:
    harness.setup_django(url)
    from cunqi.demo import programme

    print("loaded" if programme.is_loaded() else "empty")


def measure(url: str) -> None:
    # Renders are measured as a signed-in user sees them; the second factor (one session
    # flag checked per request) is tested on its own, so the bench signs in without it.
    os.environ["CUNQI_TOTP_ROLES"] = ""
    harness.setup_django(url)
    from django.test import Client
    from django.urls import reverse

    from cunqi.accounts.models import User
    from cunqi.projects.models import Project
    from cunqi.registry.models import Town, Zone

    taskforce, _ = User.objects.get_or_create(
        username="bench-taskforce", defaults={"role": "taskforce"}
    )
    town = Town.objects.order_by("pk").first()
    town_user, _ = User.objects.get_or_create(
        username="bench-town", defaults={"role": "town", "town": town}
    )
    zone = Zone.objects.order_by("pk").first()
    figures = {}
    for label, user in (("taskforce", taskforce), ("town", town_user)):
        client = Client()
        client.force_login(user)

        def get(url, client=client):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        figures[f"cockpit ({label})"] = harness.median_ms(
            lambda get=get: get(reverse("dashboard:cockpit"))
        )
        figures[f"projects filtered by zone and status ({label})"] = harness.median_ms(
            lambda get=get: get(
                f"{reverse('projects:project_list')}?zone={zone.pk}&status={Project.Status.OPERATING}"
            )
        )
        figures[f"villages filtered by town, searched ({label})"] = harness.median_ms(
            lambda get=get: get(f"{reverse('registry:village_list')}?town={town.pk}&q=村")
        )
    figures.update(list_export(taskforce))
    figures["database bytes"] = harness.database_size(url)
    print(json.dumps(figures))


def list_export(user) -> dict[str, float]:
    """The village list's Excel export as the page or the task writes it (the exchange's layout),
    beside its peer: the same rows rendered through the list's table cell by cell and
    written by the same workbook writer, as the export did before."""
    from types import SimpleNamespace

    from cunqi.core import exports, xlsx
    from cunqi.core.views import REGISTRY
    from cunqi.registry.models import Village

    views = REGISTRY[Village]
    request = SimpleNamespace(user=user)

    def served():
        # What the page writes while its user waits, or the task for a list too long.
        exports.workbook(views, views.queryset(user), request)

    def through_the_table():
        rows = iter(views.table(views.queryset(user)[: exports.LIMIT]).as_values())
        xlsx.write_rows("villages", next(rows), rows)

    count = Village.objects.count()
    return {
        f"village list export, {count} rows (taskforce)": harness.median_ms(served, 3, 1),
        f"peer: the same rows through the table, {count} rows": harness.median_ms(
            through_the_table, 3, 1
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        nargs="+",
        default=["county", "province"],
        choices=["county", "province", "nation"],
    )
    parser.add_argument(
        "--engine", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        return probe(args.probe)
    if args.measure:
        return measure(args.measure)

    # The pages link the collected, hashed static files, as a deployment does.
    subprocess.run(
        [str(harness.ROOT / ".venv" / "bin" / "cunqi"), "collectstatic", "--noinput", "-v", "0"],
        check=True,
    )
    rows = []
    for scale in args.scale:
        for engine in args.engine:
            url, synth_seconds = prepare(engine, scale)
            output = subprocess.run(
                [sys.executable, __file__, "--measure", url],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            rows.append((scale, engine, synth_seconds, figures))
            print(scale, engine, figures, flush=True)

    command = f".venv/bin/python bench/cockpit.py --scale {' '.join(args.scale)} --engine {' '.join(args.engine)}"
    lines = [
        "## Cockpit and filtered lists (`bench/cockpit.py`)",
        "",
        f"Measured {harness.stamp()}; `{command}`. Median of 7 renders after 2 warm-ups, "
        "through Django's test client (template rendering included, no network).",
        "Aims: cockpit ≤ 300 ms at province scale on SQLite and ≤ 500 ms at nation scale on "
        "PostgreSQL; filtered list ≤ 200 ms at nation scale.",
        "",
        "| scale | engine | page | median ms |",
        "|---|---|---|---:|",
    ]
    for scale, engine, _synth, figures in rows:
        for page, value in figures.items():
            if page != "database bytes":
                lines.append(f"| {scale} | {engine} | {page} | {value:.0f} |")
    lines += ["", "| scale | engine | data loaded in s | database size MB |", "|---|---|---:|---:|"]
    for scale, engine, synth, figures in rows:
        loaded = f"{synth:.0f}" if synth is not None else "—"
        lines.append(f"| {scale} | {engine} | {loaded} | {figures['database bytes'] / 1e6:.0f} |")
    harness.write_section(
        f"cockpit-{'-'.join(args.scale)}-{'-'.join(args.engine)}", "\n".join(lines)
    )


if __name__ == "__main__":
    main()
