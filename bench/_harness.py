"""Shared by the benchmarks: a database per scale and engine, and RESULTS.md sections.

Each benchmark is runnable alone (``python bench/NAME.py …``); it prepares a database of
the requested scale once (kept under ``var/bench/`` or as ``cunqi_bench_<scale>`` on
PostgreSQL) and rewrites its own section of ``bench/RESULTS.md``.
"""

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
POSTGRES_SERVER = os.environ.get("CUNQI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def database_url(engine: str, scale: str) -> str:
    if engine == "sqlite":
        path = ROOT / "var" / "bench" / f"{scale}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    name = f"cunqi_bench_{scale}"
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'create database "{name}"')
    return f"{POSTGRES_SERVER}/{name}"


def cunqi(url: str, *args: str) -> float:
    """Run a cunqi command against ``url``; its wall time in seconds."""
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([str(ROOT / ".venv" / "bin" / "cunqi"), *args], check=True, env=env)
    return time.perf_counter() - started


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunqi.settings")
    import django

    django.setup()


def database_size(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select pg_database_size(current_database())")
        return cursor.fetchone()[0]


def median_ms(action: Callable[[], object], repeat: int = 7, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def write_section(name: str, body: str) -> None:
    """Replace the section ``name`` of RESULTS.md (or add it) with ``body``; with
    CUNQI_BENCH_PRINT_ONLY set (CI runs each benchmark small, so that it cannot rot) the
    section is printed and the file left alone."""
    if os.environ.get("CUNQI_BENCH_PRINT_ONLY"):
        print(body)
        return
    text = (
        RESULTS.read_text()
        if RESULTS.exists()
        else "# Benchmark results\n\nEach section is rewritten by the benchmark named in its heading.\n"
    )
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _match: block, text)
        if pattern.search(text)
        else f"{text.rstrip()}\n\n{block}\n"
    )
    RESULTS.write_text(text)


def stamp() -> str:
    """When, on what and under which load a figure was taken: date, commit, cores, the
    load averages (the machines are shared), Python."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{date.today():%Y-%m-%d} at commit {commit or 'unknown'}{' (modified)' if dirty else ''}, "
        f"{os.cpu_count()} cores, load {load}, Python {sys.version.split()[0]}"
    )
