from cunqi.projects.views import InvestmentViews, ProjectViews

app_name = "projects"
urlpatterns = [*ProjectViews.urls(), *InvestmentViews.urls()]
