"""Orders placed with villages and their deliveries."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.core.fields import MoneyField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths


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

    autocomplete_fields = ("order__product", "village__name")

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
