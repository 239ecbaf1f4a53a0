from django.urls import path

from cunqi.core.autocomplete import autocomplete
from cunqi.core.export_views import export_file, export_job
from cunqi.core.pages import urlpatterns as reference_urlpatterns

app_name = "core"
urlpatterns = [
    path("autocomplete/<str:app_label>/<str:model_name>/", autocomplete, name="autocomplete"),
    path("export/<id:pk>/", export_job, name="exportjob"),
    path("export/<id:pk>/file/", export_file, name="exportjob_file"),
    *reference_urlpatterns(),
]
