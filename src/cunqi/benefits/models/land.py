"""Land transferred to a project and the rent paid for it."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from cunqi.benefits import rent
from cunqi.core.fields import AreaField, HundredthsField, MoneyField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.registry.models import Resource


class LandTransfer(ScopedModel):
    """Land leased from a village or one of its households to a project (土地流转)."""

    autocomplete_fields = ("project__name", "village__name")

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

    autocomplete_fields = ("transfer__project__name",)

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
