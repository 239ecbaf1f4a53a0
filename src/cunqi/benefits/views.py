import json
from collections.abc import Sequence
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cunqi.benefits import (
    filtersets,
    forms,
    linkage,
    projection,
    selectors,
    services,
    statements,
    tables,
)
from cunqi.benefits.models import (
    Delivery,
    Distribution,
    Employment,
    EquityStructure,
    LandTransfer,
    Order,
    RentPayment,
    Stake,
    VillagerWeight,
)
from cunqi.core import money
from cunqi.core.doors import door
from cunqi.core.forms import form_values
from cunqi.core.gongwen import issuing_office
from cunqi.core.permissions import allows
from cunqi.core.views import (
    Action,
    ObjectActionView,
    ObjectEditView,
    ObjectViews,
    Section,
    log_payment_read,
)
from cunqi.projects.models import Project
from cunqi.registry.models import Household, Village


class EquityStructureEditView(ObjectEditView):
    """The structure and its stakes on one page, saved together through the service."""

    template = "core/object_edit_rows.html"

    def render_form(
        self, form: BaseForm, obj: EquityStructure | None, status: int = 200, **extra: object
    ) -> HttpResponse:
        return super().render_form(
            form,
            obj,
            status,
            rows_title=_("Stakes"),
            rows_help=_(
                "Name the village for a village collective or the villagers, the group for a village group, the enterprise for an enterprise. The shares must sum to exactly 100%."
            ),
            **extra,
        )

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(instance=obj, user=request.user)
        stakes = forms.StakeFormSet(instance=obj or EquityStructure(), user=request.user)
        return self.render_form(form, obj, rows=stakes)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self.get_editable(pk) if pk else None
        form = self.views.form(request.POST, instance=obj, user=request.user)
        stakes = forms.StakeFormSet(
            request.POST, instance=obj or EquityStructure(), user=request.user
        )
        if form.is_valid() and stakes.is_valid():
            new_stakes = [
                stake_form.save(commit=False)
                for stake_form in stakes.forms
                if stake_form.cleaned_data and not stake_form.cleaned_data.get("DELETE")
            ]
            try:
                response = self.save_through_door(
                    form,
                    lambda: door(EquityStructure).save(
                        request.user, obj, {**form_values(form), "stakes": new_stakes}
                    ),
                )
            except IntegrityError:  # the database's own check, behind the service's
                form.add_error(
                    None,
                    _("The structure could not be saved: the shares must sum to exactly 100%."),
                )
                response = None
            if response:
                return response
        return self.render_form(form, obj, rows=stakes, status=400)


class VillagerWeightViews(ObjectViews):
    model = VillagerWeight
    table = tables.VillagerWeightTable
    filterset = filtersets.VillagerWeightFilterSet
    form = forms.VillagerWeightForm
    select_related = ("structure__project", "household__village")


class EquityStructureViews(ObjectViews):
    model = EquityStructure
    table = tables.EquityStructureTable
    filterset = filtersets.EquityStructureFilterSet
    form = forms.EquityStructureForm
    select_related = ("project",)
    prefetch_related = ("stakes__village", "stakes__village_group", "stakes__enterprise")
    detail_template = "benefits/equitystructure_detail.html"
    edit_view = EquityStructureEditView
    sections = (
        Section(
            _("Household weights"),
            lambda: VillagerWeightViews,
            lambda structure: structure.weights.all(),
            exclude=("structure",),
        ),
    )

    @classmethod
    def links(cls, structure: EquityStructure) -> list[tuple[str, str]]:
        if structure.villagers_rule != EquityStructure.VillagersRule.WEIGHTS:
            return []
        return [
            (
                _("Add a household weight"),
                f"{reverse('benefits:villagerweight_add')}?structure={structure.pk}",
            )
        ]


class DistributionActionView(ObjectActionView):
    """Approve, post or reverse a distribution."""

    actions = {
        name: Action(
            name, lambda distribution, request, step=step: step(distribution, request.user)
        )
        for name, step in (
            ("approve", services.approve_distribution),
            ("post", services.post_distribution),
            ("reverse", services.reverse_distribution),
        )
    }


class DistributionViews(ObjectViews):
    model = Distribution
    payment_data = True
    table = tables.DistributionTable
    filterset = filtersets.DistributionFilterSet
    form = forms.DistributionForm
    select_related = ("project", "prepared_by", "approved_by")
    detail_template = "benefits/distribution_detail.html"
    action_view = DistributionActionView
    detail_fields = (
        "project",
        "year",
        "profit",
        "structure",
        "status",
        "prepared_by",
        "approved_by",
        "posted_at",
    )

    @classmethod
    def extra_context(cls, distribution: Distribution, request: HttpRequest) -> dict:
        user = request.user
        # Household payouts only for users whose scope includes the household.
        visible_households = Household.objects.visible_to(user).values("pk")
        payouts = distribution.payouts.select_related(
            "stake__village", "stake__village_group", "stake__enterprise", "household"
        ).filter(Q(household__isnull=True) | Q(household__in=visible_households))
        actions = {
            Distribution.Status.DRAFT: "approve",
            Distribution.Status.APPROVED: "post",
            Distribution.Status.POSTED: "reverse",
        }
        action = actions.get(distribution.status)
        return {
            "payouts": payouts,
            "hidden_payouts": distribution.payouts.count() - payouts.count(),
            "journal": distribution.journal_entries.prefetch_related("lines").select_related(
                "created_by"
            ),
            "action": action if action and allows(user, action, Distribution) else None,
        }


class EmploymentViews(ObjectViews):
    model = Employment
    payment_data = True
    table = tables.EmploymentTable
    filterset = filtersets.EmploymentFilterSet
    form = forms.EmploymentForm
    select_related = ("project", "household__village")


class LandTransferViews(ObjectViews):
    model = LandTransfer
    table = tables.LandTransferTable
    filterset = filtersets.LandTransferFilterSet
    form = forms.LandTransferForm
    select_related = ("village", "household__village", "kind", "project")
    detail_template = "benefits/landtransfer_detail.html"
    sections = (
        Section(
            _("Rent payments"),
            lambda: RentPaymentViews,
            lambda transfer: transfer.payments.all(),
            exclude=("transfer",),
        ),
    )

    @classmethod
    def extra_context(cls, transfer: LandTransfer, request: HttpRequest) -> dict:
        return {"rent_account": selectors.rent_account(transfer, timezone.localdate())}

    @classmethod
    def links(cls, transfer: LandTransfer) -> list[tuple[str, str]]:
        return [
            (
                _("Record a rent payment"),
                f"{reverse('benefits:rentpayment_add')}?transfer={transfer.pk}",
            )
        ]


class RentPaymentViews(ObjectViews):
    model = RentPayment
    payment_data = True
    table = tables.RentPaymentTable
    filterset = filtersets.RentPaymentFilterSet
    form = forms.RentPaymentForm
    select_related = ("transfer__village", "transfer__household__village", "transfer__kind")


def household_statement(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A household's yearly statement (dividends, rents, wages) on one printable page."""
    household = get_object_or_404(
        Household.objects.visible_to(request.user).select_related("village"), pk=pk
    )
    log_payment_read(request, Household, "statement", pk)
    statement = statements.household_statement(household, year)
    return render(
        request,
        "benefits/statement.html",
        {
            **_as_issued(
                statement, _("%(village)s villagers' committee") % {"village": household.village}
            ),
            "subject": household,
            "signatures": (_("Prepared by"), _("Checked by"), _("Head of household")),
        },
    )


def village_statement(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A village collective's income in a year, from dividends and the rent of its land."""
    village = get_object_or_404(Village.objects.visible_to(request.user), pk=pk)
    statement = statements.village_collective_statement(village, year)
    return render(
        request,
        "benefits/statement.html",
        {
            **_as_issued(statement, issuing_office()),
            "subject": village,
            "signatures": (_("Prepared by"), _("Checked by"), _("Village collective (seal)")),
        },
    )


LINKAGE_PAGE = 50


def linkage_page(request: HttpRequest) -> HttpResponse:
    """Benefit linkage (联农带农) in a year for the households the user sees, of the whole
    city, a town, a village or a project: the figures the cockpit and the pages show, and
    the households they count."""
    form = forms.LinkageForm(request.GET or None, user=request.user)
    year = timezone.localdate().year
    households = Household.objects.visible_to(request.user)
    projects = None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        households, projects = form.narrow(households)
    log_payment_read(request, Household, "linkage")
    found = linkage.links(year, projects=projects, households=households)
    rows = linkage.by_household(found)
    page = Paginator(rows, LINKAGE_PAGE).get_page(request.GET.get("page"))
    shown = Household.objects.select_related("village").in_bulk([row.household for row in page])
    return render(
        request,
        "benefits/linkage.html",
        {
            "form": form,
            "year": year,
            "summary": linkage.summarise(found),
            "modes": [(mode, MODE_LABELS[mode]) for mode in linkage.MODES],
            "page": page,
            "rows": [(shown[row.household], row) for row in page],
        },
    )


MODE_LABELS = {
    linkage.EMPLOYMENT: gettext_lazy("employment"),
    linkage.DIVIDEND: gettext_lazy("dividends"),
    linkage.LAND: gettext_lazy("land lease"),
    linkage.ORDER: gettext_lazy("order deliveries"),
}


def _as_issued(statement: statements.Statement, issuer: str) -> dict:
    """What makes a statement a document a village can hand over: who issues it and when,
    the total in capitals, and lines to sign."""
    return {
        "statement": statement,
        "issuer": issuer,
        "issued_on": timezone.localdate(),
        "total_in_capitals": money.capitals(statement.total),
    }


HOLDER_LABELS = [label for _value, label in Stake.Holder.choices]


def _current_shares(project: Project) -> list[Decimal] | None:
    """The project's structure in force this year, as four percentages by holder kind."""
    structure = services.structure_in_force(project, timezone.localdate().year)
    if structure is None:
        return None
    totals = dict.fromkeys(projection.HOLDERS, Decimal(0))
    for stake in structure.stakes.all():
        totals[stake.holder] += stake.share
    return list(totals.values())


def project_projection(request: HttpRequest, pk: int) -> HttpResponse:
    """Each party's income over the income period and after the handover, with NPV,
    for up to three equity structures side by side."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    initial = {"income_years": project.income_years or 10, "annual_profit": Decimal("1000000.00")}
    seed = [Decimal(10), Decimal(10), Decimal(41), Decimal(39)]
    compared = [shares for shares in (_current_shares(project), seed) if shares]
    for number, shares in enumerate(dict.fromkeys(tuple(s) for s in compared), start=1):
        initial.update({f"s{number}_{index}": share for index, share in enumerate(shares)})
    form = forms.ProjectionForm(request.GET or None, initial=initial)
    results, chart = [], None
    if form.is_valid():
        structures = form.structures()
        if not form.errors:
            data = form.cleaned_data
            for number, shares in structures:
                outcome = projection.project_income(
                    data["annual_profit"],
                    data["growth_percent"],
                    data["income_years"],
                    data["years_after"],
                    shares,
                    data["discount_percent"],
                )
                results.append((number, shares, outcome))
            chart = json.dumps(projection_chart(results), ensure_ascii=False)
    return render(
        request,
        "benefits/projection.html",
        {
            "project": project,
            "form": form,
            "results": results,
            "chart": chart,
            "holders": HOLDER_LABELS,
        },
    )


def projection_chart(results: Sequence) -> dict:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 10, "right": 10, "top": 40, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(label) for label in HOLDER_LABELS]},
        "yAxis": {"type": "value", "name": _("NPV (10k yuan)")},
        "series": [
            {
                "type": "bar",
                "name": _("Structure %(number)s") % {"number": number},
                "data": [float((value / 10000).quantize(Decimal("0.01"))) for value in outcome.npv],
            }
            for number, _shares, outcome in results
        ],
    }


class DeliveryViews(ObjectViews):
    model = Delivery
    table = tables.DeliveryTable
    filterset = filtersets.DeliveryFilterSet
    form = forms.DeliveryForm
    select_related = ("order__enterprise", "village", "household__village")


class OrderViews(ObjectViews):
    model = Order
    table = tables.OrderTable
    filterset = filtersets.OrderFilterSet
    form = forms.OrderForm
    select_related = ("enterprise", "project")
    sections = (
        Section(
            _("Deliveries"),
            lambda: DeliveryViews,
            lambda order: order.deliveries.all(),
            exclude=("order",),
        ),
    )

    @classmethod
    def figures(cls, order: Order) -> list[tuple[str, object]]:
        figures = selectors.fulfilment(order)
        return [
            (_("Fulfilment"), f"{figures.rate}%"),
            (_("Delivered"), f"{figures.delivered} {order.unit}"),
            (_("Due (yuan)"), f"{figures.due:,.2f}"),
            (_("Paid (yuan)"), f"{figures.paid:,.2f}"),
        ]

    @classmethod
    def links(cls, order: Order) -> list[tuple[str, str]]:
        return [(_("Record a delivery"), f"{reverse('benefits:delivery_add')}?order={order.pk}")]
