from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core.fields import MoneyField, UsccField, non_negative
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.personal import LookupField, PersonalField
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.validators import validate_uscc

TOWN_AND_VILLAGE = frozenset({Role.TOWN, Role.VILLAGE})

latitude_validators = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
longitude_validators = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


class Zone(ScopedModel):
    scope_paths = ScopePaths(
        town="towns",
        village="towns__villages",
        enterprise="towns__villages__pairings__enterprise",
    )

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("zone (片区)")
        verbose_name_plural = _("zones")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Town(ScopedModel):
    scope_paths = ScopePaths(
        town="pk", village="villages", enterprise="villages__pairings__enterprise"
    )

    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), related_name="towns", on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=50, unique=True)
    is_subdistrict = models.BooleanField(_("sub-district (街道)"), default=False)
    is_demonstration = models.BooleanField(_("demonstration town (示范镇)"), default=False)

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["zone__sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Located(ScopedModel):
    """A row with coordinates (WGS 84 degrees), used for distances in matching."""

    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=latitude_validators,
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=longitude_validators,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="%(class)s_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="%(class)s_longitude_range",
            ),
        ]


class Village(Located):
    scope_paths = ScopePaths(town="town", village="pk", enterprise="pairings__enterprise")
    autocomplete_fields = ("name", "code")
    edit_policy = EditPolicy(create=frozenset({Role.TOWN}), edit=TOWN_AND_VILLAGE)

    town = models.ForeignKey(
        Town, verbose_name=_("town"), related_name="villages", on_delete=models.PROTECT
    )
    code = models.CharField(
        _("village code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6,12}$", _("A village code has 6 to 12 digits."))],
        help_text=_("The statistical division code (统计用区划代码)."),
    )
    name = models.CharField(_("name"), max_length=50)
    population = models.PositiveIntegerField(_("population"), default=0)
    household_count = models.PositiveIntegerField(_("households"), default=0)

    class Meta(Located.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["town__name", "name"]
        constraints = [
            *Located.Meta.constraints,
            models.UniqueConstraint(fields=["town", "name"], name="village_name_unique_in_town"),
        ]

    def __str__(self) -> str:
        return self.name


class VillageIncome(ScopedModel):
    """The village collective's income in one year (村集体经济收入)."""

    autocomplete_fields = ("village__name",)

    scope_paths = ScopePaths(town="village__town", village="village")
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE)

    village = models.ForeignKey(
        Village, verbose_name=_("village"), related_name="incomes", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = MoneyField(_("collective income (yuan)"), validators=[non_negative])

    class Meta:
        verbose_name = _("village collective income")
        verbose_name_plural = _("village collective incomes")
        ordering = ["village__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="village_income_one_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="village_income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"


class VillageGroup(ScopedModel):
    scope_paths = ScopePaths(town="village__town", village="village")
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE)

    village = models.ForeignKey(
        Village, verbose_name=_("village"), related_name="groups", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("village group (村小组)")
        verbose_name_plural = _("village groups")
        ordering = ["village__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"], name="village_group_unique_in_village"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.name}"


class Household(ScopedModel):
    scope_paths = ScopePaths(town="village__town", village="village")
    # Those who keep the roster may see its personal data in full, stating why.
    edit_policy = EditPolicy.writers(
        Role.TOWN, Role.VILLAGE, actions={"reveal": frozenset({Role.TOWN, Role.VILLAGE})}
    )
    autocomplete_fields = ("number", "head_name")

    village = models.ForeignKey(
        Village, verbose_name=_("village"), related_name="households", on_delete=models.PROTECT
    )
    group = models.ForeignKey(
        VillageGroup,
        verbose_name=_("village group"),
        related_name="households",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    number = models.CharField(
        _("household number"),
        max_length=30,
        help_text=_("Unique within the village, e.g. the roster number."),
    )
    head_name = models.CharField(_("head of household"), max_length=50)
    members = models.PositiveSmallIntegerField(
        _("members"), default=1, validators=[MinValueValidator(1)]
    )
    id_number = PersonalField(
        _("head's identity number"), kind="id_number", help_text=_("18 characters.")
    )
    id_number_hash = LookupField(source="id_number")
    phone = PersonalField(_("phone"), kind="phone")
    bank_account = PersonalField(
        _("bank account"), kind="bank_account", help_text=_("Where the household is paid.")
    )

    class Status(models.TextChoices):
        """Whether the household is served first (防止返贫监测和帮扶): a household lifted out
        of poverty (脱贫户) or one under monitoring against a return to it (监测户)."""

        ORDINARY = "ordinary", _("ordinary household")
        LIFTED = "lifted", _("lifted out of poverty (脱贫户)")
        MONITORED = "monitored", _("under monitoring (监测户)")

    class Monitoring(models.TextChoices):
        UNSTABLE = "unstable", _("unstable after lifting (脱贫不稳定户)")
        MARGINAL = "marginal", _("on the margin of poverty (边缘易致贫户)")
        HARDSHIP = "hardship", _("sudden severe hardship (突发严重困难户)")

    # Special identities are sensitive personal information (PIPL §28): seen only in the
    # household's scope, like the roster itself; each change is in its history.
    # Database defaults too: loaders that insert raw rows (bench/ledger.py's COPY) leave
    # these columns out.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.ORDINARY,
        db_default=Status.ORDINARY,
        blank=True,
    )
    monitoring_category = models.CharField(
        _("monitoring category"),
        max_length=20,
        choices=Monitoring.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("For a household under monitoring only."),
    )
    status_since = models.DateField(
        _("status since"),
        null=True,
        blank=True,
        help_text=_("When the household was identified (识别) or its monitoring began."),
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "number"], name="household_number_unique_in_village"
            ),
            models.CheckConstraint(condition=Q(members__gte=1), name="household_has_members"),
            models.CheckConstraint(
                condition=Q(status__in=("ordinary", "lifted", "monitored")),
                name="household_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="monitored", monitoring_category__gt="")
                | (~Q(status="monitored") & Q(monitoring_category="")),
                name="household_monitoring_category_iff_monitored",
                violation_error_message=_(
                    "A household under monitoring has its category; no other household has one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.number} {self.head_name}"

    def clean(self) -> None:
        if self.group_id and self.village_id and self.group.village_id != self.village_id:
            raise ValidationError({"group": _("This group belongs to another village.")})
        self.status = self.status or self.Status.ORDINARY
        if self.status == self.Status.MONITORED and not self.monitoring_category:
            raise ValidationError(
                {"monitoring_category": _("Give the category of a household under monitoring.")}
            )
        if self.status != self.Status.MONITORED and self.monitoring_category:
            raise ValidationError(
                {
                    "monitoring_category": _(
                        "Only a household under monitoring has a monitoring category."
                    )
                }
            )
        if self.status_since and self.status_since > timezone.localdate():
            raise ValidationError({"status_since": _("This date cannot be in the future.")})


class Enterprise(Located):
    scope_paths = ScopePaths(
        town="pairings__village__town", village="pairings__village", enterprise="pk"
    )
    autocomplete_fields = ("name", "uscc")
    edit_policy = EditPolicy(edit=frozenset({Role.ENTERPRISE}))

    class Ownership(models.TextChoices):
        STATE = "state", _("state-owned")
        COLLECTIVE = "collective", _("collective")
        PRIVATE = "private", _("private")
        MIXED = "mixed", _("mixed ownership")
        FOREIGN = "foreign", _("foreign-invested")

    uscc = UsccField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=100)
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    industry = models.ForeignKey(
        "core.Industry",
        verbose_name=_("industry"),
        related_name="enterprises",
        on_delete=models.PROTECT,
    )
    village_capacity = models.PositiveSmallIntegerField(
        _("villages it can take on"), default=1, validators=[MinValueValidator(1)]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    class Meta(Located.Meta):
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            *Located.Meta.constraints,
            models.CheckConstraint(
                condition=Q(village_capacity__gte=1), name="enterprise_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object):
        self.uscc = self.uscc.strip().upper()
        super().save(*args, **kwargs)


class Person(ScopedModel):
    """A city leader, task-force member, advisor or expert."""

    scope_paths = ScopePaths(
        town=("led_pairings__village__town", "contact_pairings__village__town"),
        village=("led_pairings__village", "contact_pairings__village"),
        enterprise=("led_pairings__enterprise", "contact_pairings__enterprise"),
    )

    class Kind(models.TextChoices):
        LEADER = "leader", _("city leader")
        TASKFORCE = "taskforce", _("task-force member")
        ADVISOR = "advisor", _("advisor")
        EXPERT = "expert", _("expert")

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("position"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Resource(ScopedModel):
    """What a village offers, or what an enterprise needs or offers."""

    autocomplete_fields = ("village__name", "enterprise__name")

    scope_paths = ScopePaths(
        town=("village__town", "enterprise__pairings__village__town"),
        village=("village", "enterprise__pairings__village"),
        enterprise=("enterprise", "village__pairings__enterprise"),
    )
    edit_scope_paths = ScopePaths(town="village__town", village="village", enterprise="enterprise")
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE, Role.ENTERPRISE)

    class Direction(models.TextChoices):
        OFFERS = "offers", _("offers")
        NEEDS = "needs", _("needs")

    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        related_name="resources",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        related_name="resources",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.ForeignKey("core.ResourceKind", verbose_name=_("kind"), on_delete=models.PROTECT)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, validators=[non_negative]
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind__sort_order", "-quantity"]
        constraints = [
            models.CheckConstraint(
                condition=Q(village__isnull=False, enterprise__isnull=True)
                | Q(village__isnull=True, enterprise__isnull=False),
                name="resource_has_one_owner",
                violation_error_message=_(
                    "A resource belongs to either a village or an enterprise."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="resource_quantity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village or self.enterprise} · {self.kind} {self.quantity}{self.unit}"

    def clean(self) -> None:
        if bool(self.village_id) == bool(self.enterprise_id):
            raise ValidationError(
                {"village": _("A resource belongs to either a village or an enterprise.")}
            )

    @property
    def owner(self):
        return self.village or self.enterprise
