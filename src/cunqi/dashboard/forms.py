"""The map's filters: a zone or a town of those the user may see, and what colours the
villages."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from cunqi.core.forms import style_field
from cunqi.registry.models import Town, Zone


class MapFilters(forms.Form):
    zone = forms.ModelChoiceField(Zone.objects.none(), label=_("zone"), required=False)
    town = forms.ModelChoiceField(Town.objects.none(), label=_("town"), required=False)
    colour = forms.ChoiceField(
        label=_("colour villages by"),
        choices=(
            ("zone", _("zone")),
            ("card", _("card colour")),
            ("investment", _("investment in projects")),
        ),
        required=False,
    )

    def __init__(self, *args: object, user: AbstractBaseUser, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.visible_to(user)
        self.fields["town"].queryset = Town.objects.visible_to(user).select_related("zone")
        for field in self.fields.values():
            style_field(field)
