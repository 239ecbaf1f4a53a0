"""A process killed (SIGKILL) in the middle of posting many distributions leaves each of
them whole — posted with one balanced entry, or still approved with none — and running
the posting again posts the rest exactly once (`cunqi reconcile` checks both)."""

import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.processes import COMMAND, cunqi, environment, kill_when, scalar

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a killed process and PostgreSQL"
)
PROJECTS = 400
BENCH = Path(__file__).resolve().parents[2] / "bench"  # bench/ledger.py builds the data

BUILD = f"""
import sys
from decimal import Decimal
sys.path.insert(0, {str(BENCH)!r})
import ledger
from cunqi.benefits import services
from cunqi.benefits.models import Distribution
created, preparer, approver, poster = ledger.build({PROJECTS}, 40)
services.prepare_distributions(2025, {{p.pk: Decimal("1000000.00") for p in created}}, preparer)
services.approve_distributions(list(Distribution.objects.values_list("pk", flat=True)), approver)
"""
POST = """
from cunqi.accounts.models import User
from cunqi.benefits import services
from cunqi.benefits.models import Distribution
ids = list(Distribution.objects.order_by("pk").values_list("pk", flat=True))
print(services.post_distributions(ids, User.objects.get(username="bench-taskforce"), chunk_size=4))
"""


def test_a_posting_killed_halfway_leaves_whole_distributions_and_finishes_once(
    tmp_path, new_database
):
    url, var = new_database(), tmp_path / "var"
    assert cunqi("migrate", "-v0", database_url=url, var_dir=var).returncode == 0
    built = cunqi("shell", "-c", BUILD, database_url=url, var_dir=var)
    assert built.returncode == 0, built.stderr[-3000:]

    posting = subprocess.Popen(
        [*COMMAND, "shell", "-c", POST],
        env=environment(url, var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kill_when(posting, lambda: scalar(url, "SELECT count(*) FROM benefits_journalentry") > 0)
    posted = scalar(url, "SELECT count(*) FROM benefits_distribution WHERE status = 'posted'")
    assert 0 < posted < PROJECTS, "killed too late to be halfway"
    assert scalar(url, "SELECT count(*) FROM benefits_journalentry") == posted
    checked = cunqi("reconcile", database_url=url, var_dir=var)
    assert checked.returncode == 0, checked.stderr[-3000:]

    finished = cunqi("shell", "-c", POST, database_url=url, var_dir=var)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert int(finished.stdout.split()[-1]) == PROJECTS - posted
    assert scalar(url, "SELECT count(*) FROM benefits_journalentry") == PROJECTS
    checked = cunqi("reconcile", database_url=url, var_dir=var)
    assert checked.returncode == 0, checked.stderr[-3000:]
