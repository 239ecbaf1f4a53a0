from cunqi.talent.views import AdvisorViews, ExpertViews, ServiceViews, TrainingViews

app_name = "talent"
urlpatterns = [
    *ExpertViews.urls(),
    *AdvisorViews.urls(),
    *ServiceViews.urls(),
    *TrainingViews.urls(),
]
