from decimal import Decimal as D

from cunqi.core import ratios


def test_a_half_rounds_up_as_the_documents_do():
    assert ratios.percent(D("12.25"), 100) == D("12.3")
    assert ratios.percent(D("12.35"), 100) == D("12.4")  # not to even
    assert ratios.percent(1, 3, ratios.HUNDREDTH) == D("33.33")
    assert ratios.percent(2, 3, places=None) == D(200) / D(3)


def test_nothing_to_share_gives_no_percentage():
    assert ratios.percent(5, 0) is None
    assert ratios.percent(0, 5) == D("0.0")


def test_wan():
    assert ratios.in_wan(D("12345.00")) == D("1.23")
    assert ratios.in_wan(D("15000"), ratios.TENTH) == D("1.5")
    assert ratios.in_wan(D("125"), ratios.HUNDREDTH) == D("0.01")
