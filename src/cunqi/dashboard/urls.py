from django.urls import path

from cunqi.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("public/", views.public, name="public"),
    path("map/", views.programme_map, name="map"),
    path("map/boundaries.geojson", views.boundaries, name="boundaries"),
]
