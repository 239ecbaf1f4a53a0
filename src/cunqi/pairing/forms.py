from django import forms
from django.utils.translation import gettext_lazy as _

from cunqi.core.forms import ScopedModelForm
from cunqi.pairing.models import MatchingRun, Pairing
from cunqi.registry.models import Enterprise, Person


class PairingForm(ScopedModelForm):
    class Meta:
        model = Pairing
        fields = (
            "village",
            "enterprise",
            "start_date",
            "end_date",
            "status",
            "leader",
            "taskforce_contact",
            "note",
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # A town picks its village's counterpart and leaders from the whole registry;
        # the village stays limited to the user's scope.
        self.fields["enterprise"].queryset = Enterprise.objects.all()
        self.fields["leader"].queryset = Person.objects.filter(kind=Person.Kind.LEADER)
        self.fields["taskforce_contact"].queryset = Person.objects.filter(
            kind=Person.Kind.TASKFORCE
        )


class MatchingRunForm(ScopedModelForm):
    class Meta:
        model = MatchingRun
        fields = (
            "zone",
            "town",
            "complementarity_weight",
            "industry_weight",
            "proximity_weight",
            "distance_scale_km",
            "max_distance_km",
            "min_score",
            "keep_existing",
        )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)
