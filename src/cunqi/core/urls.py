from django.urls import path

from cunqi.core.autocomplete import autocomplete
from cunqi.core.pages import urlpatterns as reference_urlpatterns

app_name = "core"
urlpatterns = [
    path("autocomplete/<str:app_label>/<str:model_name>/", autocomplete, name="autocomplete"),
    *reference_urlpatterns(),
]
