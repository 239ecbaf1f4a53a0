import json
import os
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cunqi.core import money
from cunqi.core.links import url_of
from cunqi.core.roles import ADMINISTRATORS
from cunqi.dashboard import charts, maps, selectors
from cunqi.dashboard import snapshot as programme_snapshot
from cunqi.dashboard.forms import MapFilters
from cunqi.dashboard.home import home_for
from cunqi.funds import selectors as fund_selectors
from cunqi.talent import selectors as talent_selectors


def _url(name: str, **query: object) -> str:
    return f"{url_of(name)}?{urlencode(query)}" if query else url_of(name)


def _money(amount: Decimal, places: int = 2) -> dict[str, str]:
    figure, unit = money.headline(amount, places)
    return {"value": figure, "unit": unit}


def headline_cards(headline: selectors.Headline) -> list[dict]:
    """The headline figures, each with the filtered list it counts."""
    return [
        {
            "label": _("Paired enterprises"),
            "value": headline.paired_enterprises,
            "url": _url("registry:enterprise_list", paired="true"),
        },
        {
            "label": _("Paired villages"),
            "value": headline.paired_villages,
            "url": _url("registry:village_list", paired="true"),
        },
        {
            "label": _("Pairings with a city leader"),
            "value": f"{headline.pairings_with_leader} / {headline.active_pairings}",
            "note": _("coverage %(percent)s%%") % {"percent": headline.leader_coverage},
            "url": _url("pairing:pairing_list", status="active", has_leader="true"),
        },
        {
            "label": _("Projects landed"),
            "value": headline.projects_landed,
            "url": _url("projects:project_list", landed="true"),
        },
        {
            "label": _("Completed investment"),
            **_money(headline.completed_investment),
            "url": _url("projects:investment_list"),
        },
        {
            "label": _("Demonstration projects"),
            "value": headline.demonstration_projects,
            "url": _url("projects:project_list", is_demonstration="true"),
        },
        {
            "label": _("Demonstration towns"),
            "value": headline.demonstration_towns,
            "note": _("%(count)s with every village paired")
            % {"count": headline.fully_paired_demonstration_towns},
            "url": _url("registry:town_list", is_demonstration="true"),
        },
        {
            "label": _("Village collective income %(year)s")
            % {"year": headline.collective_income_year},
            **_money(headline.collective_income, places=1),
            "note": ngettext(
                "%(count)s village above 500,000 yuan",
                "%(count)s villages above 500,000 yuan",
                headline.strong_collective_villages,
            )
            % {"count": headline.strong_collective_villages},
            "url": "#collective-income",
        },
        {
            "label": _("Households linked this year"),
            "value": headline.households_linked,
            "note": _("%(count)s lifted out of poverty or monitored; income %(income)s")
            % {
                "count": headline.households_served_first,
                "income": money.amount(headline.linkage_income),
            },
            "url": _url("benefits:linkage"),
        },
        {
            "label": _("Awards this year"),
            "value": headline.awards_this_year,
            "url": _url("supervision:award_list", year=timezone.localdate().year),
        },
    ]


@login_not_required  # an anonymous visitor to the site's address is shown the public page
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's front door: what they must do next, then what they answer for."""
    user = request.user
    if not user.is_authenticated:
        return redirect("dashboard:public")
    if user.role in ADMINISTRATORS:  # they work in the administration, not the programme
        return redirect("admin:index")
    today = timezone.localdate()
    queues = {
        "to_review": _url("supervision:monthlyreport_list", status="submitted"),
        "cards": _url("supervision:card_list", status="open"),
        "action_items": _url("supervision:actionitem_list", status="open"),
        "disbursements": _url("funds:disbursement_list", status="recorded"),
        "approvals": _url("projects:approval_list"),
        "pairings": _url("pairing:pairing_list", status="active"),
        "instructions": _url("supervision:instruction_list", status="open"),
        "instructions_given": _url("supervision:instruction_list", leader=user.person_id or ""),
    }
    page = home_for(user, today, queues)
    context = {
        "home": page,
        "today": today,
        "notices": user.notifications.filter(read_at__isnull=True).order_by("-created_at")[:5],
    }
    if page.city_wide:
        snapshot = programme_snapshot.load()
        context["snapshot"] = snapshot
        context["cards"] = headline_cards(programme_snapshot.decode(snapshot.payload).headline)
    return render(request, "dashboard/home.html", context)


def cockpit(request: HttpRequest) -> HttpResponse:
    user = request.user
    snapshot = None
    if selectors.sees_everything(user):
        snapshot = programme_snapshot.load()
        data = programme_snapshot.decode(snapshot.payload)
    else:
        data = selectors.cockpit_data(user)
    chart_options = {
        "investment": charts.cumulative_investment(
            data.investment_by_month,
            lambda month: _url("projects:investment_list", month=month.isoformat()),
        ),
        "models": charts.bars(
            [
                (str(model), n, _url("projects:project_list", model=model.pk))
                for model, n in data.projects_by_model
            ],
            _("Projects"),
        ),
        "industries": charts.pie(
            [
                (str(industry), n, _url("projects:project_list", industry=industry.pk))
                for industry, n in data.projects_by_industry
            ],
            _("Projects"),
        ),
        "project_zones": charts.bars(
            [
                (str(zone), n, _url("projects:project_list", zone=zone.pk))
                for zone, n in data.projects_by_zone
            ],
            _("Projects"),
        ),
        "pairing_zones": charts.bars(
            [
                (str(zone), n, _url("pairing:pairing_list", zone=zone.pk, status="active"))
                for zone, n in data.pairings_by_zone
            ],
            _("Pairings"),
        ),
    }
    context = {
        "cards": headline_cards(data.headline),
        "headline": data.headline,
        "collective_income_ranking": data.collective_income_ranking,
        # Policy support is read live: a few aggregate rows, scoped to the user.
        "funds": fund_selectors.funds_overview(user),
        "talent": talent_selectors.talent_by_zone(user),
        "snapshot": snapshot,
        "charts": {
            key: json.dumps(option, ensure_ascii=False) for key, option in chart_options.items()
        },
    }
    return render(request, "dashboard/cockpit.html", context)


@login_not_required
def public(request: HttpRequest) -> HttpResponse:
    snapshot = programme_snapshot.load()
    headline = programme_snapshot.decode(snapshot.payload).headline
    context = {
        "headline": headline,
        "investment": money.headline(headline.completed_investment),
        "snapshot": snapshot,
        **_map_context(programme_snapshot.public_layers(snapshot.payload), "zone"),
        "public_map": True,
    }
    return render(request, "dashboard/public.html", context)


def _map_context(layers: maps.Layers, colour: str) -> dict:
    boundaries = bool(settings.CUNQI_MAP_GEOJSON)
    option = maps.option(layers, boundaries=boundaries, colour=colour)
    return {
        "map": json.dumps(option, ensure_ascii=False),
        "boundaries_url": url_of("dashboard:boundaries") if boundaries else "",
        "layers": layers,
    }


def programme_map(request: HttpRequest) -> HttpResponse:
    """Villages, enterprises, pairings and projects where they are, as the user sees them."""
    form = MapFilters(request.GET or None, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    colour = chosen.get("colour") or "zone"
    layers = maps.layers_for(
        request.user,
        zone=getattr(chosen.get("zone"), "pk", None),
        town=getattr(chosen.get("town"), "pk", None),
        colour=colour,
    )
    return render(request, "dashboard/map.html", {"form": form, **_map_context(layers, colour)})


@login_not_required  # the public page's map draws on them too
def boundaries(request: HttpRequest) -> HttpResponse:
    """The deployment's boundaries (``CUNQI_MAP_GEOJSON``), for the map to draw."""
    path = settings.CUNQI_MAP_GEOJSON
    if not path or not os.path.isfile(path):
        raise Http404
    return FileResponse(open(path, "rb"), content_type="application/geo+json")
