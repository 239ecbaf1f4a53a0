"""Two imports of the same households at the same moment leave one set of rows: the
database's unique constraint on the natural key stops the second, which is rolled back
whole with a message that says why."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from cunqi.registry.models import Household
from tests import factories
from tests.exchange.test_import import check, filled

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
    ),
]


def test_two_concurrent_imports_of_the_same_households_leave_one_set():
    village = factories.VillageFactory(code="610881100201")
    officers = [factories.UserFactory(role="town", town=village.town) for _ in range(2)]
    content = filled(
        "households", [["610881100201", "", f"{n:03d}", f"户主{n}", 3] for n in range(1, 401)]
    )
    barrier, outcomes = threading.Barrier(2), []

    def run(officer):
        try:
            with translation.override("en"):
                barrier.wait()
                outcomes.append(check("households", content, officer, commit=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Household.objects.filter(village=village).count() == 400
    committed = [outcome for outcome in outcomes if outcome.committed]
    refused = [outcome for outcome in outcomes if not outcome.committed]
    # Either the second saw the first's rows and updated them, or it found them written
    # between its check and its write, or it collided: rolled back whole, saying why.
    assert len(committed) >= 1
    for outcome in refused:
        assert (
            outcome.errors[0].message
            in ("Household with this Village and Household number already exists.",)
            or "at the same moment" in outcome.errors[0].message
        )
