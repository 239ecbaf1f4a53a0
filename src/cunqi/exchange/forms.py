from django import forms
from django.utils.translation import gettext_lazy as _

from cunqi.core.forms import style_field


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("what the file holds"))
    file = forms.FileField(label=_("filled template (.xlsx)"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.code, kind.title) for kind in kinds]
        for field in self.fields.values():
            style_field(field)
