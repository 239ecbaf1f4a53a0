"""A task worker killed (SIGKILL) in the middle of a large Excel import leaves none of it
in the database; queued again by `cunqi resume_imports`, it completes exactly once.

Runs the real thing: a migrated PostgreSQL database of its own, `cunqi db_worker` as a
process, killed while the import's transaction is open."""

import subprocess
import time

import pytest
from django.db import connection

from tests.processes import COMMAND, cunqi, environment, kill_when, scalar

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a worker process and PostgreSQL"
)
HOUSEHOLDS = 30_000

SETUP = f"""
import io
from openpyxl import load_workbook
from django.core.files.base import ContentFile
from cunqi.accounts.models import User
from cunqi.exchange import services, workbooks
from cunqi.exchange.kinds import KINDS
from cunqi.exchange.models import ImportJob
from cunqi.registry.models import Town, Village, Zone

zone = Zone.objects.create(name="片区")
town = Town.objects.create(zone=zone, name="镇")
Village.objects.create(town=town, code="610881100201", name="村")
officer = User.objects.create_user("officer", password="x", role="town", town=town)
workbook = load_workbook(io.BytesIO(workbooks.blank(KINDS["households"])))
sheet = workbook.worksheets[0]
for n in range({HOUSEHOLDS}):
    sheet.append(["610881100201", "", f"{{n:06d}}", "户主", 3])
buffer = io.BytesIO()
workbook.save(buffer)
job = ImportJob(user=officer, kind="households", file_name="households.xlsx")
job.file.save("households.xlsx", ContentFile(buffer.getvalue()), save=False)
job.save()
services.run(job, commit=False)
assert job.can_commit, job.errors[:3]
services.request_commit(job)
print(job.pk)
"""


def test_a_worker_killed_mid_import_leaves_nothing_and_the_rerun_imports_once(
    tmp_path, new_database
):
    url, var = new_database(), tmp_path / "var"
    assert cunqi("migrate", "-v0", database_url=url, var_dir=var).returncode == 0
    setup = cunqi("shell", "-c", SETUP, database_url=url, var_dir=var)
    assert setup.returncode == 0, setup.stderr[-3000:]
    job = int(setup.stdout.split()[-1])
    history = scalar(url, "SELECT count(*) FROM auditlog_logentry")

    worker = subprocess.Popen(
        [*COMMAND, "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"],
        env=environment(url, var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def well_into_the_import() -> bool:
        running = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        if scalar(url, running) == 0:
            return False
        time.sleep(2)  # rows written, the import's transaction still open
        return True

    kill_when(worker, well_into_the_import)
    assert scalar(url, f"SELECT status FROM exchange_importjob WHERE id = {job}") == "importing"
    assert scalar(url, "SELECT count(*) FROM registry_household") == 0
    assert scalar(url, "SELECT count(*) FROM auditlog_logentry") == history

    # The operator's cron job finds the import its dead worker left "running", and queues
    # it again (the lock the worker held went with its connection).
    rerun = cunqi("resume_imports", "--older-than", "0", database_url=url, var_dir=var)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"Import job {job} queued again." in rerun.stdout
    done = cunqi(
        "db_worker",
        "--queue-name",
        "*",
        "--batch",
        "--no-startup-delay",
        database_url=url,
        var_dir=var,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert scalar(url, "SELECT count(*) FROM registry_household") == HOUSEHOLDS
    assert scalar(url, "SELECT count(DISTINCT number) FROM registry_household") == HOUSEHOLDS
    assert scalar(url, f"SELECT status FROM exchange_importjob WHERE id = {job}") == "imported"
    assert scalar(url, "SELECT count(*) FROM auditlog_logentry") == history + HOUSEHOLDS
