from django.urls import path

from cunqi.benefits import views

app_name = "benefits"
urlpatterns = [
    *views.EquityStructureViews.urls(),
    *views.DistributionViews.urls(),
    *views.EmploymentViews.urls(),
    *views.VillagerWeightViews.urls(),
    *views.LandTransferViews.urls(),
    *views.RentPaymentViews.urls(),
    *views.OrderViews.urls(),
    *views.DeliveryViews.urls(),
    path("linkage/", views.linkage_page, name="linkage"),
    path("projection/<id:pk>/", views.project_projection, name="project_projection"),
    path(
        "statement/household/<id:pk>/<year:year>/",
        views.household_statement,
        name="household_statement",
    ),
    path(
        "statement/village/<id:pk>/<year:year>/", views.village_statement, name="village_statement"
    ),
]
