"""A backup restores into a fresh database: the same row counts, a journal that
reconciles, and the uploaded files back in place (on the suite's engine: SQLite, and
PostgreSQL in CI). The commands run in their own processes, as an operator runs them."""

import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.processes import cunqi


def test_a_backup_of_the_demo_restores_whole_into_a_fresh_database(tmp_path, new_database):
    """The demo programme (with its posted dividends and an uploaded approval document),
    backed up and restored by the commands into a new database and a new uploads folder:
    `cunqi restore` checks the row counts against the backup and reconciles the journal."""
    source, source_var = new_database(), tmp_path / "source-var"
    for step in (("migrate", "-v0"), ("demo",)):
        done = cunqi(*step, database_url=source, var_dir=source_var)
        assert done.returncode == 0, done.stderr[-3000:]
    backed_up = cunqi("backup", str(tmp_path / "backup"), database_url=source, var_dir=source_var)
    assert backed_up.returncode == 0, backed_up.stderr[-3000:]
    uploads = sorted(p.relative_to(source_var) for p in (source_var / "media").rglob("*.pdf"))
    assert uploads
    # The backup, the uploads and (on SQLite) the database are their owner's only.
    written = [tmp_path / "backup", *(tmp_path / "backup").iterdir(), source_var / uploads[0]]
    written += list(source_var.glob("*.sqlite3"))
    assert {stat.S_IMODE(path.stat().st_mode) & 0o077 for path in written} == {0}

    target, target_var = new_database(), tmp_path / "target-var"
    restored = cunqi("restore", str(tmp_path / "backup"), database_url=target, var_dir=target_var)
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "row counts match the backup and the journal's reconciliation passes" in restored.stdout
    assert sorted(p.relative_to(target_var) for p in (target_var / "media").rglob("*.pdf")) == (
        uploads
    )
    again = cunqi("restore", str(tmp_path / "backup"), database_url=target, var_dir=target_var)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_folder(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(CommandError):
        call_command("backup", str(tmp_path / "taken"))


def test_a_restore_says_which_check_failed(monkeypatch, tmp_path):
    """Row counts that match with a journal that does not reconcile are told as such, not
    as a backup that differs."""
    from cunqi.core import backup

    monkeypatch.setattr(backup, "restore", lambda folder: [])
    monkeypatch.setattr(
        backup, "RESTORE_CHECKS", {"the journal's reconciliation": lambda: ["entry 7: 0.01"]}
    )
    with pytest.raises(CommandError) as failed:
        call_command("restore", str(tmp_path))
    assert str(failed.value) == ("Restored, but the journal's reconciliation found 1 problem.")
    monkeypatch.setattr(
        backup, "restore", lambda folder: ["registry_village: 90 in the backup, 89 restored"]
    )
    monkeypatch.setattr(backup, "RESTORE_CHECKS", {})
    with pytest.raises(CommandError, match="row counts differ from the backup's manifest"):
        call_command("restore", str(tmp_path))


def test_what_cunqi_writes_is_its_owners_only():
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    assert stat.S_IMODE(Path(settings.VAR_DIR).stat().st_mode) == 0o700
    name = default_storage.save("permissions/check.pdf", ContentFile(b"%PDF-1.4"))
    assert stat.S_IMODE(Path(default_storage.path(name)).stat().st_mode) == 0o600
