import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import ObjectTable
from cunqi.pairing.models import Pairing


class PairingTable(ObjectTable):
    village = tables.Column(linkify=lambda record: record.get_absolute_url())
    town = tables.Column(accessor="village__town", verbose_name=_("town"))
    enterprise = tables.Column(linkify=True)
    leader = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Pairing
        fields = ("village", "town", "enterprise", "leader", "start_date", "status")
