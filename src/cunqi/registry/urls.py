from cunqi.registry import views

app_name = "registry"
urlpatterns = [
    *views.ZoneViews.urls(),
    *views.TownViews.urls(),
    *views.VillageViews.urls(),
    *views.VillageIncomeViews.urls(),
    *views.VillageGroupViews.urls(),
    *views.HouseholdViews.urls(),
    *views.EnterpriseViews.urls(),
    *views.PersonViews.urls(),
    *views.ResourceViews.urls(),
]
