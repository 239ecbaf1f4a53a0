import django_tables2 as tables

from cunqi.core.tables import ObjectTable
from cunqi.talent.models import Advisor, Expert, Service, Training


class ExpertTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Expert
        fields = ("name", "institution", "field", "title")


class AdvisorTable(ObjectTable):
    name = tables.Column(linkify=True)
    village = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Advisor
        fields = ("name", "village", "enterprise", "term_start", "term_end")


class ServiceTable(ObjectTable):
    topic = tables.Column(linkify=True)
    village = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Service
        fields = ("held_on", "topic", "kind", "village", "expert", "advisor", "attendance")


class TrainingTable(ObjectTable):
    topic = tables.Column(linkify=True)
    village = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Training
        fields = ("held_on", "topic", "village", "trainees", "hours", "trainer")
