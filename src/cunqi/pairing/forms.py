from cunqi.core.forms import ScopedModelForm
from cunqi.pairing.models import Pairing
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A town picks its village's counterpart and leaders from the whole registry;
        # the village stays limited to the user's scope.
        self.fields["enterprise"].queryset = Enterprise.objects.all()
        self.fields["leader"].queryset = Person.objects.filter(kind=Person.Kind.LEADER)
        self.fields["taskforce_contact"].queryset = Person.objects.filter(
            kind=Person.Kind.TASKFORCE
        )
