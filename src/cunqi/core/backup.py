"""Backups of a deployment: its database and its uploaded files, into one folder, with a
manifest of row counts that a restore is checked against.

PostgreSQL is dumped by pg_dump (custom format) and restored by pg_restore into an empty
database; SQLite, the embedded default, is copied by SQLite's online backup, consistent
while the platform runs. Uploads are a tar of MEDIA_ROOT. Point-in-time recovery needs
PostgreSQL's continuous WAL archiving besides (docs/deploy.md).
"""

import json
import os
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

DATABASE_DUMP, SQLITE_COPY, UPLOADS, MANIFEST = (
    "database.dump",
    "database.sqlite3",
    "uploads.tar.gz",
    "manifest.json",
)


class BackupError(RuntimeError):
    pass


# Checks a restored database must pass beyond its row counts, registered by the apps
# that know their data (the ledger's reconciliation): name → () → [problems].
RESTORE_CHECKS: dict[str, Callable[[], list[str]]] = {}


def register_restore_check(name: str, check: Callable[[], list[str]]) -> None:
    RESTORE_CHECKS[name] = check


def _owner_only(path: Path) -> None:
    """A backup holds password hashes, second-factor secrets and household data."""
    path.chmod(0o700 if path.is_dir() else 0o600)


def row_counts(using: str = "default") -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.using(using).count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _postgres(using: str) -> tuple[list[str], dict]:
    """pg_* connection arguments and environment for the alias ``using``."""
    database = connections[using].settings_dict
    arguments = ["--dbname", database["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [flag, str(database[key])]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup(folder: Path, using: str = "default") -> dict:
    """Write the database, the uploads and a manifest into ``folder`` (created empty)."""
    folder.mkdir(parents=True, exist_ok=False, mode=0o700)
    connection = connections[using]
    if connection.vendor == "postgresql":
        arguments, environment = _postgres(using)
        _run(
            ["pg_dump", "--format=custom", "--file", str(folder / DATABASE_DUMP), *arguments],
            environment,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE_COPY) as copy:
            connection.connection.backup(copy)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / UPLOADS, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "made_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "rows": row_counts(using),
        "uploads": sum(1 for path in media.rglob("*") if path.is_file()) if media.exists() else 0,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    for path in (folder, *folder.iterdir()):
        _owner_only(path)
    return manifest


def restore(folder: Path, using: str = "default") -> list[str]:
    """Put a backup back into an empty database and MEDIA_ROOT; the differences between
    the restored row counts and the manifest's (none when all is well)."""
    manifest = json.loads((folder / MANIFEST).read_text())
    connection = connections[using]
    if connection.vendor != manifest["engine"]:
        raise BackupError(f"a {manifest['engine']} backup cannot go into {connection.vendor}")
    if "django_migrations" in connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a new one")
    if connection.vendor == "postgresql":
        arguments, environment = _postgres(using)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                *arguments,
                str(folder / DATABASE_DUMP),
            ],
            environment,
        )
    else:
        connection.close()
        with (
            sqlite3.connect(folder / SQLITE_COPY) as source,
            sqlite3.connect(connection.settings_dict["NAME"]) as target,
        ):
            source.backup(target)
    with tarfile.open(folder / UPLOADS) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media/")]
        for member in members:
            member.name = member.name.removeprefix("media/")
        archive.extractall(settings.MEDIA_ROOT, members=members, filter="data")
    counts = row_counts(using)
    return [
        f"{table}: {manifest['rows'].get(table)} in the backup, {counts.get(table)} restored"
        for table in sorted(set(counts) | set(manifest["rows"]))
        if counts.get(table) != manifest["rows"].get(table)
    ]
