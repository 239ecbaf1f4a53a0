"""Running the platform's commands in their own processes against new databases, as an
operator does (backups, restores, task workers killed mid-task)."""

import os
import signal
import sqlite3
import subprocess
import time
import uuid
from contextlib import closing, contextmanager, nullcontext

import psycopg
import pytest
from django.db import connection, connections

from tests.deployed import COMMAND


def _server() -> dict:
    settings = connections["default"].settings_dict
    return dict(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or "",
    )


@contextmanager
def databases(folder):
    """Makes new, empty databases of the suite's engine (SQLite files under ``folder``);
    yields a function returning their DATABASE_URLs, and drops them afterwards."""
    made = []
    server = _server()

    def make() -> str:
        name = f"cunqi_process_{uuid.uuid4().hex[:12]}"
        if connection.vendor != "postgresql":
            return f"sqlite:///{folder / name}.sqlite3"
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"postgres://{server['user']}:{server['password']}@{server['host']}:{server['port']}/{name}"

    try:
        yield make
    finally:
        with (
            psycopg.connect(dbname="postgres", autocommit=True, **server)
            if made
            else nullcontext() as admin
        ):
            for name in made:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def new_database(tmp_path):
    with databases(tmp_path) as make:
        yield make


def environment(database_url: str, var_dir) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "CUNQI_VAR_DIR": str(var_dir)}


def cunqi(*arguments, database_url: str, var_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *arguments],
        env=environment(database_url, var_dir),
        capture_output=True,
        text=True,
    )


def rows(database_url: str, sql: str) -> list[tuple]:
    """Rows read by a connection of its own (so it sees only what is committed)."""
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return db.execute(sql).fetchall()
    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


def scalar(database_url: str, sql: str):
    return rows(database_url, sql)[0][0]


def kill_when(process: subprocess.Popen, ready, timeout: float = 60) -> None:
    """SIGKILL ``process`` as soon as ``ready()`` — no chance to clean up, as in a crash."""
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            assert time.monotonic() < deadline and process.poll() is None, "never ready"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
