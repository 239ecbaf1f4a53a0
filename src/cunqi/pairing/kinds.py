"""The pairings' Excel kind."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.exchange import cells
from cunqi.exchange.cells import Column, choice
from cunqi.exchange.kinds import (
    Kind,
    choice_list,
    labels,
    register,
    visible_map,
)
from cunqi.pairing.models import Pairing
from cunqi.registry.models import Enterprise, Person, Village

PAIRINGS = Kind(
    code="pairings",
    model=Pairing,
    title=pgettext_lazy("exchange kind", "pairings"),
    columns=(
        Column(
            "village",
            _("village code"),
            cells.text(12),
            required=True,
            example="610881100201",
            reference="village",
        ),
        Column(
            "enterprise",
            _("unified social credit code"),
            cells.text(18),
            required=True,
            example="91610881MA70000002",
            reference="enterprise",
        ),
        Column("start_date", _("start"), cells.day, required=True, example="2024-03-01"),
        Column("end_date", _("end"), cells.day),
        Column(
            "status",
            _("status"),
            choice(labels(Pairing, "status")),
            required=True,
            example=lambda: Pairing.Status.ACTIVE.label,
            choices=choice_list(Pairing, "status"),
        ),
        Column("leader", _("city leader"), cells.text(50), reference="leader"),
        Column("note", _("note"), cells.text(1000)),
    ),
    key=("village", "enterprise"),
    references={
        "village": lambda user: visible_map(Village, user, "code"),
        "enterprise": lambda user: visible_map(Enterprise, user, "uscc"),
        "leader": lambda user: {
            name: pk
            for name, pk in Person.objects.filter(kind=Person.Kind.LEADER).values_list("name", "pk")
        },
    },
    exports={
        "village": "village__code",
        "enterprise": "enterprise__uscc",
        "leader": "leader__name",
    },
    order=50,
)

register(PAIRINGS)
