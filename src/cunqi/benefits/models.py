from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.benefits import rent
from cunqi.core.fields import AreaField, HundredthsField, MoneyField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.validators import validate_first_of_month
from cunqi.registry.models import Resource

PROJECT_SCOPE = ScopePaths(
    town="project__villages__town", village="project__villages", enterprise="project__enterprises"
)
HUNDRED_PERCENT = 100


class EquityStructure(ScopedModel):
    """Who owns what share of a project's distributable profit (股份结构), from a date on.

    A structure is complete when its stakes sum to exactly 100%; the database refuses to
    mark it complete otherwise, and refuses any change to the stakes of a complete one.
    """

    scope_paths = PROJECT_SCOPE
    edit_policy = EditPolicy.writers(Role.TOWN)

    class VillagersRule(models.TextChoices):
        PER_PERSON = "per_person", _("per person")
        PER_MU = "per_mu", _("per mu of land contributed")
        PER_HOUSEHOLD = "per_household", _("equally per household")
        WEIGHTS = "weights", _("explicit weights")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="equity_structures",
        on_delete=models.PROTECT,
    )
    valid_from = models.DateField(_("in force from"))
    villagers_rule = models.CharField(
        _("villagers' pool split"),
        max_length=20,
        choices=VillagersRule.choices,
        default=VillagersRule.PER_PERSON,
        help_text=_("How the villagers' share is divided among the village's households."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False, editable=False)

    class Meta:
        verbose_name = _("equity structure (股份结构)")
        verbose_name_plural = _("equity structures")
        ordering = ["project__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "valid_from"],
                name="equity_structure_one_per_date",
                violation_error_message=_(
                    "This project already has a structure in force from that date."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.valid_from:%Y-%m-%d}"

    def delete(self, *args, **kwargs):
        # The stakes of a complete structure are frozen in the database; opening it first
        # lets the cascade remove them, in the same transaction.
        with transaction.atomic():
            if self.is_complete:
                EquityStructure.objects.filter(pk=self.pk).update(is_complete=False)
            return super().delete(*args, **kwargs)


class Stake(models.Model):
    """One holder's share of a structure: a village collective, a village group, an
    enterprise, or the villagers of a village (split among its households)."""

    class Holder(models.TextChoices):
        VILLAGE_COLLECTIVE = "village_collective", _("village collective")
        VILLAGE_GROUP = "village_group", _("village group")
        ENTERPRISE = "enterprise", _("enterprise")
        VILLAGERS = "villagers", _("villagers' pool")

    structure = models.ForeignKey(
        EquityStructure,
        verbose_name=_("equity structure"),
        related_name="stakes",
        on_delete=models.CASCADE,
    )
    holder = models.CharField(_("holder"), max_length=20, choices=Holder.choices)
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    village_group = models.ForeignKey(
        "registry.VillageGroup",
        verbose_name=_("village group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    share = HundredthsField(
        _("share (%)"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("A share is more than 0%% and at most 100%%.")
            ),
            MaxValueValidator(
                Decimal("100"), message=_("A share is more than 0%% and at most 100%%.")
            ),
        ],
    )

    class Meta:
        verbose_name = _("stake")
        verbose_name_plural = _("stakes")
        ordering = ["structure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=HUNDRED_PERCENT),
                name="stake_share_between_0_and_100",
                # Django formats this message with %: a literal percent sign is doubled.
                violation_error_message=_("A share is more than 0%% and at most 100%%."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        holder="village_collective",
                        village__isnull=False,
                        village_group__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        holder="villagers",
                        village__isnull=False,
                        village_group__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        holder="village_group",
                        village__isnull=True,
                        village_group__isnull=False,
                        enterprise__isnull=True,
                    )
                    | Q(
                        holder="enterprise",
                        village__isnull=True,
                        village_group__isnull=True,
                        enterprise__isnull=False,
                    )
                ),
                name="stake_names_its_holder",
                violation_error_message=_(
                    "Name the village for a village collective or the villagers, the group for a "
                    "village group, the enterprise for an enterprise — and nothing else."
                ),
            ),
        ]

    def __str__(self) -> str:
        holder = self.village or self.village_group or self.enterprise
        return f"{self.get_holder_display()} {holder} {self.share}%"


class VillagerWeight(ScopedModel):
    """A household's weight in a structure's villagers' pool, for the explicit-weights rule
    (for example shares agreed at a villagers' meeting)."""

    # Seen by those who see the household (not the enterprise), as its payouts are.
    scope_paths = ScopePaths(town="household__village__town", village="household__village")
    edit_policy = EditPolicy.writers(Role.TOWN)

    structure = models.ForeignKey(
        EquityStructure,
        verbose_name=_("equity structure"),
        related_name="weights",
        on_delete=models.CASCADE,
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT
    )
    weight = HundredthsField(
        _("weight"),
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("A weight must be more than zero."))
        ],
    )

    class Meta:
        verbose_name = _("household weight")
        verbose_name_plural = _("household weights")
        ordering = ["structure", "household__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "household"],
                name="villager_weight_once_per_household",
                violation_error_message=_("This household already has a weight in this structure."),
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="villager_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.household} × {self.weight}"

    def clean(self) -> None:
        if (
            self.structure_id
            and self.household_id
            and not self.structure.stakes.filter(
                holder=Stake.Holder.VILLAGERS, village=self.household.village_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "household": _(
                        "This household's village has no villagers' stake in this structure."
                    )
                }
            )


class Distribution(ScopedModel):
    """One year's distributable profit of a project, split by its equity structure (分红).

    draft → approved (by someone other than who prepared it) → posted to the journal;
    a posted distribution is corrected by reversing it and preparing a new one.
    """

    scope_paths = PROJECT_SCOPE
    # A town prepares; a city leader (or the task force) approves; the task force posts.
    edit_policy = EditPolicy.writers(
        Role.TOWN,
        actions={"approve": frozenset({Role.LEADER}), "post": frozenset(), "reverse": frozenset()},
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        POSTED = "posted", _("posted")
        REVERSED = "reversed", _("reversed")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="distributions",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    profit = MoneyField(
        _("distributable profit (yuan)"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("The distributable profit must be more than zero.")
            )
        ],
    )
    structure = models.ForeignKey(
        EquityStructure,
        verbose_name=_("equity structure"),
        related_name="distributions",
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution (分红)")
        verbose_name_plural = _("distributions")
        ordering = ["-year", "project__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(profit__gt=0),
                name="distribution_profit_positive",
                violation_error_message=_("The distributable profit must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="distribution_four_eyes",
                violation_error_message=_("Whoever prepared a distribution cannot approve it."),
            ),
            models.UniqueConstraint(
                fields=["project", "year"],
                condition=~Q(status="reversed"),
                name="distribution_once_per_year",
                violation_error_message=_("This project already has a distribution for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"


class Payout(models.Model):
    """What one stake (or, for the villagers' pool, one household) receives."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        related_name="payouts",
        on_delete=models.CASCADE,
    )
    stake = models.ForeignKey(
        Stake, verbose_name=_("stake"), related_name="payouts", on_delete=models.PROTECT
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        related_name="payouts",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["distribution", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.stake.get_holder_display()} {self.household or ''} {self.amount}"

    @property
    def payee(self):
        return (
            self.household
            or self.stake.village_group
            or self.stake.enterprise
            or self.stake.village
        )


class JournalEntry(models.Model):
    """A posting or its reversal: append-only (the database refuses updates and deletes)."""

    class Kind(models.TextChoices):
        POSTING = "posting", _("posting")
        REVERSAL = "reversal", _("reversal")

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        related_name="journal_entries",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.PROTECT
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["created_at", "pk"]
        constraints = [
            # At most one posting and one reversal per distribution: posting twice, even
            # from two concurrent requests, cannot add a second entry.
            models.UniqueConstraint(
                fields=["distribution", "kind"], name="journal_entry_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.distribution}"


class JournalLine(models.Model):
    """One side of an entry: the project's profit paid out (negative) or a payee credited."""

    entry = models.ForeignKey(
        JournalEntry, verbose_name=_("entry"), related_name="lines", on_delete=models.PROTECT
    )
    payout = models.ForeignKey(
        Payout, verbose_name=_("payout"), null=True, blank=True, on_delete=models.PROTECT
    )
    account = models.CharField(_("account"), max_length=40)
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "pk"]
        # The balance trigger finds an entry's last line by this index.
        indexes = [models.Index(fields=["entry", "id"], name="journalline_entry_last")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class Employment(ScopedModel):
    """A villager employed by a project (劳务合作), with a monthly wage over a period."""

    scope_paths = ScopePaths(
        town="project__villages__town",
        village="household__village",
        enterprise="project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN, Role.ENTERPRISE)
    autocomplete_fields = ("worker_name",)

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="employments",
        on_delete=models.PROTECT,
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        related_name="employments",
        on_delete=models.PROTECT,
    )
    worker_name = models.CharField(_("worker"), max_length=50)
    role = models.CharField(_("work"), max_length=100, blank=True)
    monthly_wage = MoneyField(
        _("monthly wage (yuan)"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("The monthly wage must be more than zero.")
            )
        ],
    )
    start_month = models.DateField(_("from month"), validators=[validate_first_of_month])
    end_month = models.DateField(
        _("to month"),
        null=True,
        blank=True,
        validators=[validate_first_of_month],
        help_text=_("Empty while the villager still works there."),
    )

    class Meta:
        verbose_name = _("employment (劳务)")
        verbose_name_plural = _("employment")
        ordering = ["project__code", "worker_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_wage__gt=0), name="employment_wage_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="employment_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_name} · {self.project}"

    def clean(self) -> None:
        if self.end_month and self.start_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": _("The end cannot be before the start.")})
        if (
            self.household_id
            and self.project_id
            and not self.project.villages.filter(pk=self.household.village_id).exists()
        ):
            raise ValidationError(
                {"household": _("This household is not in one of the project's villages.")}
            )


class LandTransfer(ScopedModel):
    """Land leased from a village or one of its households to a project (土地流转)."""

    scope_paths = ScopePaths(
        town="village__town", village="village", enterprise="project__enterprises"
    )
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE)
    edit_scope_paths = ScopePaths(town="village__town", village="village")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="land_transfers",
        on_delete=models.PROTECT,
    )
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        related_name="land_transfers",
        on_delete=models.PROTECT,
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        related_name="land_transfers",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty when the village collective leases its own land."),
    )
    kind = models.ForeignKey(
        "core.ResourceKind",
        verbose_name=_("land kind"),
        on_delete=models.PROTECT,
        limit_choices_to={"category": "land"},
    )
    area = AreaField(
        _("area (mu)"),
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The area must be more than zero."))
        ],
    )
    rent_per_mu = MoneyField(
        _("rent per mu per year (yuan)"), validators=[MinValueValidator(Decimal("0"))]
    )
    escalation_percent = HundredthsField(
        _("rent rise (%)"),
        default=0,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    escalation_every_years = models.PositiveSmallIntegerField(
        _("rises every (years)"), default=0, help_text=_("0: the rent never rises.")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        verbose_name = _("land transfer (土地流转)")
        verbose_name_plural = _("land transfers")
        ordering = ["village__name", "start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(area__gt=0), name="land_transfer_area_positive"),
            models.CheckConstraint(
                condition=Q(rent_per_mu__gte=0), name="land_transfer_rent_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(escalation_percent__gte=0, escalation_percent__lte=100),
                name="land_transfer_escalation_in_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="land_transfer_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household or self.village} · {self.kind} {self.area}"

    def clean(self) -> None:
        errors = {}
        if (
            self.project_id
            and self.village_id
            and not self.project.villages.filter(pk=self.village_id).exists()
        ):
            errors["village"] = _("This village is not one of the project's villages.")
        if self.household_id and self.village_id and self.household.village_id != self.village_id:
            errors["household"] = _("This household belongs to another village.")
        if self.kind_id and self.kind.category != "land":
            errors["kind"] = _("Only land can be transferred.")
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = _("The end must be after the start.")
        elif (
            self.start_date
            and self.end_date
            and self.project_id
            and self.project.income_years
            and rent.lease_years(self.start_date, self.end_date) > self.project.income_years
        ):
            errors["end_date"] = _(
                "The lease is longer than the project's income period (%(years)s years)."
            ) % {"years": self.project.income_years}
        if not errors and self.start_date and self.end_date:
            errors.update(self._overlap_problems())
        if not errors and self.pk and self.area and self.rent_per_mu is not None:
            errors.update(self._overpaid_problems())
        if errors:
            raise ValidationError(errors)

    def _overpaid_problems(self) -> dict:
        """A changed lease must still be due at least what has been paid for each year."""
        paid = dict(
            self.payments.values_list("lease_year").annotate(total=Sum("amount")).order_by()
        )
        if not paid:
            return {}
        due = {year.number: year.amount for year in self.rent_schedule}
        for year, total in sorted(paid.items()):
            if total > due.get(year, Decimal("0.00")):
                return {
                    NON_FIELD_ERRORS: _(
                        "%(paid)s yuan have been paid for lease year %(year)s, more than the changed lease would be due."
                    )
                    % {"paid": total, "year": year}
                }
        return {}

    def _overlap_problems(self) -> dict:
        overlapping = LandTransfer.objects.filter(
            start_date__lt=self.end_date, end_date__gt=self.start_date
        ).exclude(pk=self.pk)
        if self.household_id and overlapping.filter(household=self.household_id).exists():
            return {
                "household": _("This household's land is already leased for part of that term.")
            }
        if not (self.village_id and self.kind_id and self.area):
            return {}
        offered = Resource.objects.filter(
            village=self.village_id, kind=self.kind_id, direction=Resource.Direction.OFFERS
        ).aggregate(total=Sum("quantity"))["total"]
        available = Decimal(offered or 0).quantize(Decimal("0.01"))
        leased = overlapping.filter(village=self.village_id, kind=self.kind_id).aggregate(
            total=Sum("area")
        )["total"]
        leased = leased or Decimal("0.00")
        if leased + self.area > available:
            return {
                "area": _(
                    "The village has %(available)s mu of %(kind)s; %(leased)s mu are already leased for that "
                    "term, so at most %(left)s mu are left."
                )
                % {
                    "available": available,
                    "kind": self.kind,
                    "leased": leased,
                    "left": max(available - leased, 0),
                }
            }
        return {}

    @property
    def rent_schedule(self) -> list[rent.RentYear]:
        return rent.schedule(
            self.area,
            self.rent_per_mu,
            self.start_date,
            self.end_date,
            self.escalation_percent,
            self.escalation_every_years,
        )


class RentPayment(ScopedModel):
    """Rent paid for one lease year of a land transfer; a year may be paid in parts, never
    beyond what the schedule says is due."""

    scope_paths = ScopePaths(
        town="transfer__village__town",
        village="transfer__village",
        enterprise="transfer__project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE)
    edit_scope_paths = ScopePaths(town="transfer__village__town", village="transfer__village")

    transfer = models.ForeignKey(
        LandTransfer,
        verbose_name=_("land transfer"),
        related_name="payments",
        on_delete=models.PROTECT,
    )
    lease_year = models.PositiveSmallIntegerField(
        _("lease year"), validators=[MinValueValidator(1)]
    )
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(
        _("amount (yuan)"),
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The amount must be more than zero."))
        ],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rent payment")
        verbose_name_plural = _("rent payments")
        ordering = ["transfer", "lease_year", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="rent_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.transfer} · {self.lease_year} · {self.amount}"

    def clean(self) -> None:
        if not (self.transfer_id and self.lease_year and self.amount):
            return
        schedule = self.transfer.rent_schedule
        if self.lease_year > len(schedule):
            raise ValidationError(
                {"lease_year": _("The lease has %(count)s years.") % {"count": len(schedule)}}
            )
        due = schedule[self.lease_year - 1].amount
        paid = (
            RentPayment.objects.filter(transfer=self.transfer_id, lease_year=self.lease_year)
            .exclude(pk=self.pk)
            .aggregate(total=Sum("amount"))["total"]
        ) or Decimal("0.00")
        if paid + self.amount > due:
            raise ValidationError(
                {
                    "amount": _(
                        "Lease year %(year)s is due %(due)s yuan and %(paid)s are paid: at most %(left)s more."
                    )
                    % {"year": self.lease_year, "due": due, "paid": paid, "left": due - paid}
                }
            )


class Handover(ScopedModel):
    """The free handover of a project's assets to a village collective after its income
    period (移交)."""

    scope_paths = PROJECT_SCOPE
    edit_policy = EditPolicy.writers(Role.TOWN)

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("handed over")

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        related_name="handover",
        on_delete=models.PROTECT,
    )
    receiving_village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("receiving village collective"),
        related_name="handovers_received",
        on_delete=models.PROTECT,
    )
    due_date = models.DateField(_("due"))
    done_on = models.DateField(_("handed over on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handover (移交)")
        verbose_name_plural = _("handovers")
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="handover_done_has_a_date",
                violation_error_message=_(
                    "A handover that is done has the date it was done, and only then."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.receiving_village}"

    def clean(self) -> None:
        if (
            self.project_id
            and self.receiving_village_id
            and not self.project.villages.filter(pk=self.receiving_village_id).exists()
        ):
            raise ValidationError(
                {"receiving_village": _("This village is not one of the project's villages.")}
            )
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Give the date the assets were handed over.")})
        if self.status == self.Status.PENDING and self.done_on:
            raise ValidationError({"status": _("Mark the handover done, or leave its date empty.")})


class HandoverAsset(ScopedModel):
    """One asset on a handover's list, with its value."""

    scope_paths = ScopePaths(
        town="handover__project__villages__town",
        village="handover__project__villages",
        enterprise="handover__project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN)

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), related_name="assets", on_delete=models.CASCADE
    )
    name = models.CharField(_("asset"), max_length=100)
    quantity = models.CharField(_("quantity"), max_length=50, blank=True)
    value = MoneyField(_("value (yuan)"), validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("handover asset")
        verbose_name_plural = _("handover assets")
        ordering = ["handover", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="handover_asset_value_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Order(ScopedModel):
    """What an enterprise orders from villages for a season (订单合作)."""

    # A village sees its partner enterprises' orders, and any order it delivered to.
    scope_paths = ScopePaths(
        town=("enterprise__pairings__village__town", "deliveries__village__town"),
        village=("enterprise__pairings__village", "deliveries__village"),
        enterprise="enterprise",
    )
    edit_policy = EditPolicy.writers(Role.ENTERPRISE)
    autocomplete_fields = ("product",)

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        related_name="orders",
        on_delete=models.PROTECT,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="orders",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    product = models.CharField(_("product"), max_length=100)
    quantity = models.DecimalField(
        _("quantity ordered"),
        max_digits=14,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The quantity must be more than zero."))
        ],
    )
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = MoneyField(
        _("price per unit (yuan)"), validators=[MinValueValidator(Decimal("0"))]
    )
    season_start = models.DateField(_("season from"))
    season_end = models.DateField(_("season to"))

    class Meta:
        verbose_name = _("order (订单)")
        verbose_name_plural = _("orders")
        ordering = ["-season_start", "product"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_price_not_negative"),
            models.CheckConstraint(
                condition=Q(season_end__gte=F("season_start")),
                name="order_season_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.product} {self.quantity}{self.unit}"

    def clean(self) -> None:
        if self.season_start and self.season_end and self.season_end < self.season_start:
            raise ValidationError({"season_end": _("The end cannot be before the start.")})


class Delivery(ScopedModel):
    """A village's (or household's) delivery against an order, with what is due and paid."""

    scope_paths = ScopePaths(
        town="village__town", village="village", enterprise="order__enterprise"
    )
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE, Role.ENTERPRISE)

    order = models.ForeignKey(
        Order,
        verbose_name=pgettext_lazy("purchase", "order"),
        related_name="deliveries",
        on_delete=models.PROTECT,
    )
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        related_name="deliveries",
        on_delete=models.PROTECT,
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        related_name="deliveries",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    delivered_on = models.DateField(_("delivered on"))
    quantity = models.DecimalField(
        _("quantity delivered"),
        max_digits=14,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("The quantity must be more than zero."))
        ],
    )
    amount_paid = MoneyField(
        _("paid (yuan)"), default=0, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_quantity_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0), name="delivery_paid_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household or self.village} · {self.order.product} {self.quantity}"

    @property
    def amount_due(self) -> Decimal:
        return (self.quantity * self.order.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def clean(self) -> None:
        errors = {}
        if self.household_id and self.village_id and self.household.village_id != self.village_id:
            errors["household"] = _("This household belongs to another village.")
        if self.order_id and self.quantity:
            if self.delivered_on and not (
                self.order.season_start <= self.delivered_on <= self.order.season_end
            ):
                errors["delivered_on"] = _("The delivery falls outside the order's season.")
            if self.amount_paid and self.amount_paid > self.amount_due:
                errors["amount_paid"] = _("More is paid than is due (%(due)s yuan).") % {
                    "due": self.amount_due
                }
        if errors:
            raise ValidationError(errors)
