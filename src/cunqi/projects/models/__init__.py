"""Projects' rows: projects with their investments and handovers, approval cases, and the
project library the projects come from."""

from cunqi.projects.models.library import ApplicationEvent, ProjectApplication
from cunqi.projects.models.projects import (
    Approval,
    ApprovalDocument,
    ApprovalEvent,
    ApprovalStage,
    ApprovalStep,
    DocumentKind,
    Handover,
    HandoverAsset,
    Investment,
    MonthlyInvestment,
    Project,
)

__all__ = [
    "ApplicationEvent",
    "Approval",
    "ApprovalDocument",
    "ApprovalEvent",
    "ApprovalStage",
    "ApprovalStep",
    "DocumentKind",
    "Handover",
    "HandoverAsset",
    "Investment",
    "MonthlyInvestment",
    "Project",
    "ProjectApplication",
]
