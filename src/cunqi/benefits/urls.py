from cunqi.benefits.views import DistributionViews, EmploymentViews, EquityStructureViews

app_name = "benefits"
urlpatterns = [*EquityStructureViews.urls(), *DistributionViews.urls(), *EmploymentViews.urls()]
