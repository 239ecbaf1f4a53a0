"""Integrated funds (资金整合): sources, their yearly budgets, allocations to projects and
disbursements; and the policy library.

Reconciliation holds in the database itself: a budget's ``allocated`` and an allocation's
``disbursed`` are running totals kept by the services under row locks, and check
constraints refuse any write that would take them past the amount, whoever writes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.fields import ZERO, MoneyField, non_negative
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths

# Departments manage the money of their own sources; the task force manages all.
DEPARTMENT_WRITES = EditPolicy.writers(Role.DEPARTMENT)


class FundSource(ScopedModel):
    """A source of funds: vertical from a higher level, or horizontal from a department."""

    scope_paths = None  # every signed-in user may see where the money comes from
    edit_policy = EditPolicy(edit=frozenset({Role.DEPARTMENT}))
    department_path = "department"

    class Kind(models.TextChoices):
        VERTICAL = "vertical", _("vertical (higher level)")
        HORIZONTAL = "horizontal", _("horizontal (department)")

    class Level(models.TextChoices):
        CENTRAL = "central", _("central")
        PROVINCIAL = "provincial", _("provincial")
        CITY = "city", _("city")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("managing department"),
        related_name="fund_sources",
        on_delete=models.PROTECT,
        help_text=_("The department whose users manage this source's budgets and allocations."),
    )
    requires_library = models.BooleanField(
        _("only for projects from the project library"),
        default=False,
        help_text=_(
            "Allocations go only to projects that came through the project library (入库项目)."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="vertical") | ~Q(level=""),
                name="fundsource_vertical_has_level",
                violation_error_message=_("A vertical source needs its level."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.VERTICAL and not self.level:
            raise ValidationError({"level": _("A vertical source needs its level.")})
        if self.kind == self.Kind.HORIZONTAL:
            self.level = ""


class FundBudget(ScopedModel):
    """A source's budget for one year; ``allocated`` is what its allocations add up to."""

    scope_paths = None
    edit_policy = DEPARTMENT_WRITES
    department_path = "source__department"

    source = models.ForeignKey(
        FundSource, verbose_name=_("fund source"), related_name="budgets", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = MoneyField(_("budget (yuan)"), validators=[non_negative])
    allocated = MoneyField(_("allocated (yuan)"), default=ZERO, editable=False)

    class Meta:
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        ordering = ["-year", "source__name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="fundbudget_one_per_year"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")),
                name="fundbudget_not_overallocated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.year}"

    @property
    def remaining(self):
        return self.amount - self.allocated


class Allocation(ScopedModel):
    """Money from one year's budget of a source assigned to a project."""

    autocomplete_fields = ("project__name", "purpose")

    scope_paths = ScopePaths(
        town="project__villages__town",
        village="project__villages",
        enterprise="project__enterprises",
    )
    edit_policy = DEPARTMENT_WRITES
    department_path = "budget__source__department"

    budget = models.ForeignKey(
        FundBudget, verbose_name=_("budget"), related_name="allocations", on_delete=models.PROTECT
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="allocations",
        on_delete=models.PROTECT,
    )
    amount = MoneyField(_("amount (yuan)"), validators=[non_negative])
    allocated_on = models.DateField(_("allocated on"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    disbursed = MoneyField(_("disbursed (yuan)"), default=ZERO, editable=False)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0) & Q(disbursed__lte=F("amount")),
                name="allocation_not_overdisbursed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget} → {self.project}"

    @property
    def remaining(self):
        return self.amount - self.disbursed


class Disbursement(ScopedModel):
    """A payment out of an allocation (拨付), recorded by one person and approved by
    another (four eyes): whoever recorded or last changed it cannot approve it, and once
    approved it is fixed. It counts against the allocation's room from when it is
    recorded, so two records waiting for approval cannot together overspend it."""

    autocomplete_fields = ("voucher", "allocation__project__name")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("awaiting approval")
        APPROVED = "approved", _("approved")

    scope_paths = ScopePaths(
        town="allocation__project__villages__town",
        village="allocation__project__villages",
        enterprise="allocation__project__enterprises",
    )
    edit_policy = EditPolicy.writers(
        Role.DEPARTMENT, actions={"approve": frozenset({Role.DEPARTMENT})}
    )
    department_path = "allocation__budget__source__department"

    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("fund allocation"),
        related_name="disbursements",
        on_delete=models.PROTECT,
    )
    amount = MoneyField(_("amount (yuan)"), validators=[non_negative])
    paid_on = models.DateField(_("paid on"))
    voucher = models.CharField(_("voucher number"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECORDED, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        null=True,
        editable=False,
        on_delete=models.PROTECT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        related_name="+",
        null=True,
        editable=False,
        on_delete=models.PROTECT,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, editable=False)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("recorded_by")),
                name="disbursement_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="recorded", approved_by__isnull=True) | Q(status="approved"),
                name="disbursement_awaiting_has_no_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation} {self.paid_on}"


class Policy(ScopedModel):
    """A supporting policy and whom it supports; empty criteria mean 'any'."""

    scope_paths = None  # the policy library is open to every signed-in user
    edit_policy = DEPARTMENT_WRITES

    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    supports = models.TextField(_("what it supports"))
    fund_source = models.ForeignKey(
        FundSource,
        verbose_name=_("fund source"),
        null=True,
        blank=True,
        related_name="policies",
        on_delete=models.SET_NULL,
    )
    industries = models.ManyToManyField(
        "core.Industry", verbose_name=_("industries"), blank=True, related_name="+"
    )
    cooperation_models = models.ManyToManyField(
        "core.CooperationModel", verbose_name=_("cooperation models"), blank=True, related_name="+"
    )
    zones = models.ManyToManyField(
        "registry.Zone", verbose_name=_("zones"), blank=True, related_name="+"
    )
    min_investment = MoneyField(
        _("minimum planned investment (yuan)"), null=True, blank=True, validators=[non_negative]
    )
    demonstration_only = models.BooleanField(_("demonstration projects only"), default=False)
    file = models.FileField(_("document"), upload_to=uploads.upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="policy_valid_after_issue",
                violation_error_message=_("A policy cannot expire before it is issued."),
            )
        ]

    def __str__(self) -> str:
        return self.title
