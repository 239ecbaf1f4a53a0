from cunqi.benefits.views import EquityStructureViews

app_name = "benefits"
urlpatterns = EquityStructureViews.urls()
