from cunqi.core.forms import ScopedModelForm
from cunqi.talent.models import Advisor, Expert, Service, Training


class ExpertForm(ScopedModelForm):
    class Meta:
        model = Expert
        fields = ("name", "institution", "field", "title", "phone")


class AdvisorForm(ScopedModelForm):
    class Meta:
        model = Advisor
        fields = ("name", "phone", "enterprise", "village", "term_start", "term_end")


class ServiceForm(ScopedModelForm):
    class Meta:
        model = Service
        fields = ("kind", "village", "expert", "advisor", "held_on", "topic", "attendance", "notes")


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ("village", "held_on", "topic", "trainees", "hours", "trainer", "expert")
