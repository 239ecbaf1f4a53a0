from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.forms import MonthField, PhotosField, ScopedModelForm, style_field
from cunqi.core.roles import Role
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Project
from cunqi.supervision import reviews, rules
from cunqi.supervision.models import (
    ActionItem,
    Award,
    Bulletin,
    Card,
    DemonstrationCriteria,
    EvaluationIndicator,
    EvaluationScheme,
    Instruction,
    Meeting,
    MonthlyReport,
    Nomination,
    QuarterlyReview,
    ReportAttachment,
    RuleSetting,
)
from cunqi.supervision.selectors.bulletins import closed_month
from cunqi.supervision.selectors.reviews import quarter_figures


class MonthlyReportForm(ScopedModelForm):
    month = MonthField(label=MonthlyReport._meta.get_field("month").verbose_name)
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Photos of the site this month (JPEG or PNG); kept on the phone until sent."),
    )

    class Meta:
        model = MonthlyReport
        fields = (
            "project",
            "pairing",
            "month",
            "investment_completed",
            "milestones",
            "output_value",
            "sales",
            "problems",
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # A pairing's report has no investment of its own (the door refuses one): its form
        # does not ask for it.
        chosen = self.data if self.is_bound else self.initial
        pairing = chosen.get("pairing") or self.instance.pairing_id
        if pairing and not (chosen.get("project") or self.instance.project_id):
            self.fields["investment_completed"].widget = forms.HiddenInput()
        if self.is_bound or self.instance.pk is not None:
            return
        # On a phone every tap counts: the month due next, and the project when the writer
        # reports on only one.
        self.initial.setdefault(
            "month", rules.open_month(timezone.localdate(), RuleSetting.report_due_day())
        )
        if not self.initial.get("project") and not self.initial.get("pairing"):
            projects = self.fields["project"].queryset.filter(status__in=rules.SUPERVISED)
            if len(only := list(projects.values_list("pk", flat=True)[:2])) == 1:
                self.initial["project"] = only[0]


class RuleSettingForm(ScopedModelForm):
    class Meta:
        model = RuleSetting
        fields = (
            "rule",
            "enabled",
            "yellow_below",
            "red_below",
            "green_from",
            "due_day",
            "red_after_missing",
        )


class CardForm(ScopedModelForm):
    class Meta:
        model = Card
        fields = ("plan", "deadline")


class MeetingForm(ScopedModelForm):
    class Meta:
        model = Meeting
        fields = ("held_on", "topic", "departments", "attendees", "minutes", "decisions")


class ActionItemForm(ScopedModelForm):
    class Meta:
        model = ActionItem
        fields = (
            "meeting",
            "title",
            "owner_town",
            "owner_department",
            "owner_name",
            "deadline",
            "status",
            "done_on",
            "progress",
        )


class BulletinForm(ScopedModelForm):
    """Ask for a month's bulletin, again if it exists (its door regenerates it)."""

    month = MonthField(label=_("month"))
    language = forms.ChoiceField(
        label=_("language"), choices=[("zh-hans", "简体中文"), ("en", "English")]
    )

    class Meta:
        model = Bulletin
        fields = ("month", "language")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.initial.get("month"):
            # The latest month whose reports are due, not the month still running.
            self.initial["month"] = closed_month(timezone.localdate())

    def validate_unique(self) -> None:
        pass  # a month asked for again is generated again


class DemonstrationCriteriaForm(ScopedModelForm):
    class Meta:
        model = DemonstrationCriteria
        fields = ("every_village_paired", "min_projects", "count_projects_being_built")


class EvaluationSchemeForm(ScopedModelForm):
    class Meta:
        model = EvaluationScheme
        fields = ("year", "name", "excellent_from", "good_from", "pass_from")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = EvaluationIndicator
        fields = ("code", "weight")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_field(field)


class BaseIndicatorFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        weights = [
            form.cleaned_data["weight"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        total = sum(weights, Decimal(0))
        if total != 100:
            raise forms.ValidationError(
                _("The weights must sum to exactly 100%% (now %(total)s%%).")
                % {"total": f"{total:.2f}"}
            )


IndicatorFormSet = forms.inlineformset_factory(
    EvaluationScheme,
    EvaluationIndicator,
    form=IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=0,
    can_delete=True,
)


class QuarterlyReviewForm(ScopedModelForm):
    """A new review opened for a quarter and a subject (from the subject's page, or the
    "Fill in from the quarter's figures" button) starts from what the rows say."""

    SUBJECTS = ("zone", "town", "pairing")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self._draft_from_the_figures()

    def _draft_from_the_figures(self) -> None:
        try:
            year, quarter = (
                self._period(name, self.initial.get(name)) for name in ("year", "quarter")
            )
            chosen = {
                name: self.fields[name].clean(self.initial[name])
                for name in self.SUBJECTS
                if self.initial.get(name)
            }
        except ValidationError:
            return  # an unusable link opens the blank form
        if len(chosen) != 1:
            return
        figures = quarter_figures(year, quarter, **chosen)
        draft = reviews.draft(figures)
        suggested = {
            "progress_score": draft.progress_score,
            "work_score": draft.work_score,
            "comments": draft.comments,
        }
        for name, value in suggested.items():
            if value is not None and not self.initial.get(name):
                self.initial[name] = value

    def _period(self, name: str, value: object) -> int:
        number = self.fields[name].clean(value)
        QuarterlyReview._meta.get_field(name).run_validators(number)
        return number

    class Meta:
        model = QuarterlyReview
        fields = (
            "year",
            "quarter",
            "zone",
            "town",
            "pairing",
            "progress_score",
            "benefit_score",
            "work_score",
            "comments",
            "reviewer",
            "published",
        )


class NominationForm(ScopedModelForm):
    class Meta:
        model = Nomination
        fields = ("year", "kind", "village", "project", "enterprise", "reason")


class AwardForm(ScopedModelForm):
    class Meta:
        model = Award
        fields = ("year", "title", "recipient", "town", "enterprise", "awarded_on")


class ReportAttachmentForm(ScopedModelForm):
    class Meta:
        model = ReportAttachment
        fields = ("report", "file", "caption")
        help_texts = {"file": _("Allowed: %(allowed)s") % {"allowed": uploads.allowed_extensions()}}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the reports still being written, and only those the user writes.
        self.fields["report"].queryset = MonthlyReport.objects.editable_by(self.user).filter(
            status__in=(MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED)
        )


class InstructionForm(ScopedModelForm):
    class Meta:
        model = Instruction
        fields = (
            "leader",
            "pairing",
            "project",
            "card",
            "report",
            "text",
            "deadline",
            "answer_town",
            "answer_department",
        )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is not None:
            return
        if self.user.role == Role.LEADER and self.user.person_id:
            self.initial.setdefault("leader", self.user.person_id)
        # Given from a pairing's, a project's, a card's or a report's page, the town that
        # answers is the subject's own.
        if not self.initial.get("answer_town") and not self.initial.get("answer_department"):
            self.initial["answer_town"] = subject_town(self.initial)


def subject_town(initial: dict) -> int | None:
    """The town of the pairing, project, card or report an instruction is opened on."""
    paths = {
        "pairing": (Pairing, "village__town"),
        "project": (Project, "villages__town"),
        "card": (Card, "town"),
        "report": (MonthlyReport, "project__villages__town"),
    }
    for name, (model, path) in paths.items():
        if (pk := str(initial.get(name) or "")).isdigit():
            return model.objects.filter(pk=pk).values_list(path, flat=True).first()
    return None
