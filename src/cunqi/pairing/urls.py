from cunqi.pairing.views import PairingViews

app_name = "pairing"
urlpatterns = PairingViews.urls()
