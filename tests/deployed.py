"""The platform as deployed, in processes of its own on this machine: a database prepared
with the demo programme, then gunicorn and a task worker under production settings. The
browser journeys (tests/e2e) and the month-end load (bench/load.py) run against it.

Imports neither pytest nor Django, so a benchmark can use it too."""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

COMMAND = [sys.executable, "-c", "from cunqi.manage import main; main()"]


def production_env(database_url: str, var_dir: Path, **settings: str) -> dict:
    """The environment of a production deployment (no debug, a secret key, the second
    factor for every writing role) on ``database_url``, with ``settings`` added."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CUNQI_VAR_DIR": str(var_dir),
        "CUNQI_DEBUG": "0",
        "CUNQI_SECRET_KEY": secrets.token_urlsafe(50),
    }
    env.pop("CUNQI_TOTP_ROLES", None)  # production's default, unless ``settings`` name one
    return {**env, **settings}


def cunqi(env: dict, *arguments: str) -> str:
    """What a `cunqi` command prints; its error output if it fails."""
    done = subprocess.run([*COMMAND, *arguments], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"cunqi {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(env: dict) -> None:
    """Migrate, load the demo programme and collect the static files (the slow part,
    compressing them, runs beside the database's set-up)."""
    static = subprocess.Popen(
        [*COMMAND, "collectstatic", "--noinput", "-v0"], env=env, stderr=subprocess.PIPE
    )
    cunqi(env, "migrate", "-v0")
    cunqi(env, "demo")
    if static.wait():
        raise RuntimeError(f"collectstatic failed:\n{static.stderr.read()[-3000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, processes, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and all(p.poll() is None for p in processes):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the platform did not start:\n{log.read_text()[-3000:]}")


@contextmanager
def serving(env: dict, log: Path, *, gunicorn=(), worker=()) -> Iterator[str]:
    """gunicorn on a free loopback port and one task worker, both writing to ``log``;
    yields the platform's address and stops both afterwards."""
    port = _free_port()
    with log.open("w") as output:
        processes = [
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "cunqi.wsgi"),
                    *("--bind", f"127.0.0.1:{port}", *gunicorn),
                ],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            ),
            subprocess.Popen(
                [*COMMAND, "db_worker", "--queue-name", "*", "--no-startup-delay", *worker],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            ),
        ]
        try:
            _wait_for(port, processes, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)
