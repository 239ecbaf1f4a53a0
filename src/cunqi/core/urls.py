from cunqi.core.pages import urlpatterns as reference_urlpatterns

app_name = "core"
urlpatterns = reference_urlpatterns()
