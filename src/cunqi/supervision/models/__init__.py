"""Supervision's rows, by sub-domain: monthly reports, card rules and cards, joint
meetings and their action items, bulletins, the evaluation (schemes, quarterly reviews,
demonstration criteria), nominations and awards."""

from cunqi.supervision.models.bulletins import Bulletin
from cunqi.supervision.models.cards import Card, RuleSetting
from cunqi.supervision.models.evaluation import (
    DemonstrationCriteria,
    EvaluationIndicator,
    EvaluationScheme,
    QuarterlyReview,
)
from cunqi.supervision.models.instructions import Instruction
from cunqi.supervision.models.meetings import ActionItem, Meeting
from cunqi.supervision.models.recognition import Award, Nomination
from cunqi.supervision.models.reports import PROJECT_SCOPE, MonthlyReport, ReportAttachment

__all__ = [
    "PROJECT_SCOPE",
    "ActionItem",
    "Award",
    "Bulletin",
    "Card",
    "DemonstrationCriteria",
    "EvaluationIndicator",
    "EvaluationScheme",
    "Instruction",
    "Meeting",
    "MonthlyReport",
    "Nomination",
    "QuarterlyReview",
    "ReportAttachment",
    "RuleSetting",
]
