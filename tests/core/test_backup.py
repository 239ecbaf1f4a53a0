"""A backup restores into a fresh database: the same row counts, a journal that
reconciles, and the uploaded files back in place (on the suite's engine: SQLite, and
PostgreSQL in CI). The commands run in their own processes, as an operator runs them."""

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

    target, target_var = new_database(), tmp_path / "target-var"
    restored = cunqi("restore", str(tmp_path / "backup"), database_url=target, var_dir=target_var)
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "row counts match the backup and the journal reconciles" in restored.stdout
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
