"""The projects' Excel kinds: projects and their investments."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.core.models import CooperationModel, Industry
from cunqi.exchange import cells
from cunqi.exchange.cells import Column, choice
from cunqi.exchange.kinds import (
    Kind,
    choice_list,
    industries,
    labels,
    reference_items,
    reference_names,
    register,
    visible_map,
)
from cunqi.projects.models import Investment, Project
from cunqi.registry.models import Enterprise, Village

PROJECTS = Kind(
    code="projects",
    model=Project,
    title=pgettext_lazy("exchange kind", "projects"),
    columns=(
        Column("code", _("project code"), cells.text(30), required=True, example="XM-0001"),
        Column("name", _("name"), cells.text(100), required=True, example="示例大棚蔬菜项目"),
        Column(
            "villages",
            _("village codes"),
            cells.many(cells.text(12)),
            required=True,
            example="610881100201、610881100202",
            reference="village",
        ),
        Column(
            "enterprises",
            _("enterprise USCCs"),
            cells.many(cells.text(18)),
            example="91610881MA70000002",
            reference="enterprise",
        ),
        Column(
            "cooperation_models",
            _("cooperation models"),
            cells.many(cells.text(100)),
            example=lambda: CooperationModel.objects.first().name,
            reference="model",
        ),
        Column(
            "industry",
            _("industry"),
            cells.text(100),
            required=True,
            example=lambda: Industry.objects.first().name,
            reference="industry",
            choices=reference_names(Industry),
        ),
        Column(
            "is_demonstration", _("demonstration project (示范项目)"), cells.boolean, example="否"
        ),
        Column(
            "status",
            _("status"),
            choice(labels(Project, "status")),
            required=True,
            example=lambda: Project.Status.BUILDING.label,
            choices=choice_list(Project, "status"),
        ),
        Column(
            "planned_investment",
            _("planned investment (yuan)"),
            cells.money(),
            required=True,
            example="5000000.00",
        ),
        Column("start_date", _("start"), cells.day, example="2026-03-01"),
        Column("income_years", _("income period (years)"), cells.integer(1, 50), example=15),
        Column("handover_date", _("handover date"), cells.day),
        Column("description", _("description"), cells.text(4000)),
    ),
    key=("code",),
    references={
        "village": lambda user: visible_map(Village, user, "code"),
        "enterprise": lambda user: visible_map(Enterprise, user, "uscc"),
        "model": reference_items(CooperationModel),
        "industry": industries,
    },
    exports={
        "villages": "villages__code",
        "enterprises": "enterprises__uscc",
        "cooperation_models": "cooperation_models__name_zh",
        "industry": "industry__name_zh",
    },
    order=60,
)

INVESTMENTS = Kind(
    code="investments",
    model=Investment,
    title=pgettext_lazy("exchange kind", "investments"),
    columns=(
        Column(
            "project",
            _("project code"),
            cells.text(30),
            required=True,
            example="XM-0001",
            reference="project",
        ),
        Column("month", _("month"), cells.month, required=True, example="2026-03"),
        Column(
            "source",
            _("source"),
            choice(labels(Investment, "source")),
            required=True,
            example=lambda: Investment.Source.ENTERPRISE.label,
            choices=choice_list(Investment, "source"),
        ),
        Column("planned_amount", _("planned (yuan)"), cells.money(), example="500000.00"),
        Column("completed_amount", _("completed (yuan)"), cells.money(), example="320000.00"),
    ),
    key=("project", "month", "source"),
    references={"project": lambda user: visible_map(Project, user, "code")},
    exports={"project": "project__code"},
    order=70,
)

register(PROJECTS, INVESTMENTS)
