from cunqi.benefits.views import DistributionViews, EquityStructureViews

app_name = "benefits"
urlpatterns = [*EquityStructureViews.urls(), *DistributionViews.urls()]
