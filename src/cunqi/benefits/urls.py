from cunqi.benefits import views

app_name = "benefits"
urlpatterns = [
    *views.EquityStructureViews.urls(),
    *views.DistributionViews.urls(),
    *views.EmploymentViews.urls(),
    *views.LandTransferViews.urls(),
]
