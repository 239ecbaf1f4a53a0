"""Under `make run`, a task worker that dies comes back by itself and does the work queued
meanwhile: supervisord runs the web server and the worker as the Makefile does, the
worker is killed (SIGKILL, as a crash), and a task queued after it still runs."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.processes import cunqi, environment, scalar

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _worker_pid(env: dict) -> int | None:
    """The worker's pid while supervisord reports it running."""
    status = subprocess.run(
        [BIN / "supervisorctl", "-c", ROOT / "deploy/supervisord.conf", "status", "worker"],
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    if "RUNNING" not in status:
        return None
    return int(status.split("pid", 1)[1].split(",", 1)[0])


def _until(found, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while (value := found()) is None:
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return value


def test_a_killed_worker_is_restarted_and_does_the_work_queued_meanwhile(tmp_path, new_database):
    url, var = new_database(), tmp_path / "var"
    assert cunqi("migrate", "-v0", database_url=url, var_dir=var).returncode == 0
    env = {
        **environment(url, var),
        "BIN": str(BIN),
        "HOST": "127.0.0.1",
        "PORT": str(_free_port()),
        "CUNQI_VAR_DIR": str(var.resolve()),
    }
    supervisor = subprocess.Popen(
        [BIN / "supervisord", "-c", ROOT / "deploy/supervisord.conf"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = _until(lambda: _worker_pid(env))
        os.kill(first, signal.SIGKILL)
        queued = cunqi(
            "shell",
            "-c",
            "from cunqi.supervision.tasks import evaluate_cards; print(evaluate_cards.enqueue().id)",
            database_url=url,
            var_dir=var,
        )
        assert queued.returncode == 0, queued.stderr[-2000:]
        task = queued.stdout.split()[-1].replace("-", "")
        second = _until(lambda: pid if (pid := _worker_pid(env)) not in (None, first) else None)
        assert second != first
        query = (
            "SELECT status FROM django_tasks_database_dbtaskresult "
            f"WHERE replace(CAST(id AS TEXT), '-', '') = '{task}'"
        )
        done = _until(lambda: status if (status := scalar(url, query)) == "SUCCESSFUL" else None)
        assert done == "SUCCESSFUL"
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(timeout=60)
    assert _worker_pid(env) is None
