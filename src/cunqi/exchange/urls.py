from django.urls import path

from cunqi.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/<str:kind>/", views.template, name="template"),
    path("export/<str:kind>/", views.export, name="export"),
    path("job/<id:pk>/", views.job, name="job"),
    path("job/<id:pk>/commit/", views.commit, name="commit"),
]
