from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from cunqi.core.fields import MoneyField
from cunqi.projects.models import Investment


def test_money_round_trips_as_hundredths():
    field = MoneyField()
    assert field.get_prep_value(Decimal("12345.67")) == 1234567
    assert field.from_db_value(1234567, None, None) == Decimal("12345.67")
    assert str(field.from_db_value(100, None, None)) == "1.00"
    assert field.to_python("3") == Decimal("3.00")


@pytest.mark.parametrize("value", ["1.001", "abc", "NaN", "Infinity"])
def test_money_refuses_what_is_not_a_fen_amount(value):
    with pytest.raises(ValidationError):
        MoneyField().to_python(value)


@pytest.mark.django_db
def test_sums_are_exact_on_every_database(project):
    # 0.1 + 0.2 is not 0.3 in binary floating point; sums of stored money must be.
    for month in range(1, 11):
        Investment.objects.create(
            project=project,
            month=date(2024, month, 1),
            source=Investment.Source.ENTERPRISE,
            completed_amount=Decimal("0.10") if month % 2 else Decimal("0.20"),
        )
    total = Investment.objects.aggregate(total=Sum("completed_amount"))["total"]
    assert total == Decimal("1.50")
    assert str(total) == "1.50"
