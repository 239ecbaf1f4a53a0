from django.urls import path

from cunqi.funds.views import (
    AllocationViews,
    DisbursementViews,
    FundBudgetViews,
    FundSourceViews,
    PolicyViews,
    ProjectPoliciesView,
)

app_name = "funds"
urlpatterns = [
    *FundSourceViews.urls(),
    *FundBudgetViews.urls(),
    *AllocationViews.urls(),
    *DisbursementViews.urls(),
    *PolicyViews.urls(),
    path("project/<id:pk>/policies/", ProjectPoliciesView.as_view(), name="project_policies"),
]
