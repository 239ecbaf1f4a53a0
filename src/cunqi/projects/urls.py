from cunqi.core.pages import reference_views
from cunqi.projects.models import ApprovalStage, DocumentKind
from cunqi.projects.views import (
    ApprovalDocumentViews,
    ApprovalViews,
    HandoverAssetViews,
    HandoverViews,
    InvestmentViews,
    ProjectApplicationViews,
    ProjectViews,
)

app_name = "projects"
urlpatterns = [
    *ProjectViews.urls(),
    *ProjectApplicationViews.urls(),
    *InvestmentViews.urls(),
    *ApprovalViews.urls(),
    *ApprovalDocumentViews.urls(),
    *HandoverViews.urls(),
    *HandoverAssetViews.urls(),
    *reference_views(ApprovalStage).urls(),
    *reference_views(DocumentKind).urls(),
]
