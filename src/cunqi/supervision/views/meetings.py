"""Joint meetings and their action items."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cunqi.core.views import (
    ObjectViews,
    Section,
)
from cunqi.supervision import filtersets, forms, tables
from cunqi.supervision.models import (
    ActionItem,
    Meeting,
)


class ActionItemViews(ObjectViews):
    model = ActionItem
    table = tables.ActionItemTable
    filterset = filtersets.ActionItemFilterSet
    form = forms.ActionItemForm
    select_related = ("meeting", "owner_town", "owner_department")


class MeetingViews(ObjectViews):
    model = Meeting
    table = tables.MeetingTable
    filterset = filtersets.MeetingFilterSet
    form = forms.MeetingForm
    prefetch_related = ("departments",)
    sections = (
        Section(
            gettext_lazy("Action items"),
            lambda: ActionItemViews,
            lambda meeting: meeting.action_items.all(),
            exclude=("meeting",),
        ),
    )

    @classmethod
    def links(cls, meeting: Meeting) -> list[tuple[str, str]]:
        return [
            (
                _("Add an action item"),
                f"{reverse('supervision:actionitem_add')}?meeting={meeting.pk}",
            )
        ]
