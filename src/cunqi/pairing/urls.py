from cunqi.pairing.views import MatchingRunViews, PairingViews, RecommendationViews

app_name = "pairing"
urlpatterns = [*PairingViews.urls(), *MatchingRunViews.urls(), *RecommendationViews.urls()]
