"""Money as each language reads it (no database)."""

from decimal import Decimal

import pytest
from django.utils import translation

from cunqi.core import money


@pytest.mark.parametrize(
    ("yuan", "chinese", "english"),
    [
        ("770000000", ("7.7", "亿元"), ("770", "million yuan")),
        ("770123456", ("7.7", "亿元"), ("770.12", "million yuan")),
        ("688000", ("68.8", "万元"), ("688,000", "yuan")),
        ("2714700", ("271.47", "万元"), ("2.71", "million yuan")),
        ("9876.5", ("9,876.50", "元"), ("9,877", "yuan")),
    ],
)
def test_a_headline_amount_reads_in_the_readers_units(yuan, chinese, english):
    with translation.override("zh-hans"):
        assert money.headline(Decimal(yuan)) == chinese
    with translation.override("en"):
        assert money.headline(Decimal(yuan)) == english


def test_an_amount_in_a_sentence_is_in_wan_in_chinese_and_in_millions_in_english():
    with translation.override("zh-hans"):
        assert money.amount(Decimal("775509000")) == "77,550.90万元"
    with translation.override("en"):
        assert money.amount(Decimal("775509000")) == "775.51 million yuan"
        assert money.amount(Decimal("688000")) == "688,000 yuan"
