"""Supervision's writes, by sub-domain, each through its door. Importing the package
registers every door (core.doors discovers apps' ``services``)."""

from cunqi.supervision.services.bulletins import generate_bulletin, request_bulletin
from cunqi.supervision.services.cards import Evaluation, clear_card, evaluate_cards
from cunqi.supervision.services.evaluation import DEFAULT_WEIGHTS, save_scheme
from cunqi.supervision.services.instructions import answer_instruction, follow_up_instruction
from cunqi.supervision.services.recognition import decide_nomination, name_demonstration_towns
from cunqi.supervision.services.reports import review_report, submit_report, write_report

__all__ = [
    "DEFAULT_WEIGHTS",
    "Evaluation",
    "answer_instruction",
    "clear_card",
    "decide_nomination",
    "evaluate_cards",
    "follow_up_instruction",
    "generate_bulletin",
    "name_demonstration_towns",
    "request_bulletin",
    "review_report",
    "save_scheme",
    "submit_report",
    "write_report",
]
