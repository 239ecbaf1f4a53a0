"""The demo holds the programme as the seed reports it, computed from rows."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cunqi.accounts.models import User
from cunqi.benefits.models import Distribution
from cunqi.dashboard.selectors import collective_income, headline
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Approval, ApprovalDocument, Project
from cunqi.registry.models import Enterprise, Household, Resource, Town, Village, VillageIncome
from cunqi.supervision.models import Card, RuleSetting
from tests.i18n import language_client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (loading takes seconds) inside a transaction
    that is rolled back after it (the posted journal cannot be deleted)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_cockpit_figures_are_the_seeds(demo):
    figures = headline()
    assert figures.paired_enterprises == 88
    assert figures.paired_villages == 90
    assert figures.active_pairings == 90
    assert figures.leader_coverage == Decimal("100.0")
    assert figures.projects_landed == 81
    assert figures.completed_investment == Decimal("770000000.00")
    assert figures.demonstration_projects == 30
    assert figures.demonstration_towns == 2
    assert figures.fully_paired_demonstration_towns == 2
    assert figures.zones == 5
    assert figures.models_in_use == 6


def test_demonstration_towns_are_the_seeds_and_every_village_is_paired(demo):
    towns = Town.objects.filter(is_demonstration=True)
    assert set(towns.values_list("name", flat=True)) == {"大柳塔镇", "孙家岔镇"}
    for town in towns:
        villages = Village.objects.filter(town=town)
        paired = villages.filter(pairings__status=Pairing.Status.ACTIVE).distinct()
        assert villages.count() == paired.count() > 0


def test_some_enterprises_are_paired_twice(demo):
    assert Enterprise.objects.filter(pairings__status="active").distinct().count() == 88
    assert Pairing.objects.count() == 90


def test_the_four_named_cases(demo):
    xihulusu = Project.objects.get(villages__name="西葫芦素村")
    assert (
        "10%" in xihulusu.description
        and "41%" in xihulusu.description
        and "39%" in xihulusu.description
    )
    assert Household.objects.filter(village__name="西葫芦素村").exists()

    nijiagou = Project.objects.get(villages__name="倪家沟村")
    assert nijiagou.income_years == 15
    assert nijiagou.handover_date.year - nijiagou.start_date.year == 15

    qiaojia = Project.objects.get(villages__name="乔家村")
    assert "红枣" in qiaojia.name
    assert qiaojia.enterprises.get().name == "市国有资本投资运营集团"

    shijiaota = Village.objects.get(name="石角塔村")
    assert Resource.objects.filter(
        village=shijiaota, kind__code="abandoned_land", quantity__gte=1000
    ).exists()
    project = Project.objects.get(villages=shijiaota)
    assert (
        "750" in project.description
        and "49" in project.description
        and "6400" in project.description
    )
    assert all(
        income.amount > Decimal("500000")
        for income in VillageIncome.objects.filter(village=shijiaota, year__gte=2024)
    )


def test_enclave_project_joins_several_villages(demo):
    enclave = Project.objects.distinct().get(
        cooperation_models__code="enclave", name__contains="飞地"
    )
    assert enclave.villages.count() == 3


def test_one_demo_account_per_role(demo):
    assert set(User.objects.values_list("role", flat=True)) == {
        "taskforce",
        "leader",
        "department",
        "town",
        "village",
        "enterprise",
        "advisor",
        "expert",
    }


def test_demo_refuses_a_non_empty_database_and_never_wipes_a_journal(demo):
    with pytest.raises(CommandError):
        call_command("demo", verbosity=0)
    call_command("demo", "--if-empty", verbosity=0)
    with pytest.raises(CommandError, match="journal"):
        call_command("demo", "--force", verbosity=0)
    assert headline().completed_investment == Decimal("770000000.00")


def test_the_xihulusu_dividends_are_posted_exactly(demo):
    distribution = Distribution.objects.get(project__villages__name="西葫芦素村", year=2025)
    assert distribution.status == Distribution.Status.POSTED
    assert distribution.prepared_by != distribution.approved_by
    by_holder = dict(
        distribution.payouts.values("stake__holder")
        .annotate(total=Sum("amount"))
        .values_list("stake__holder", "total")
    )
    assert by_holder == {
        "village_collective": Decimal("128000.00"),
        "village_group": Decimal("128000.00"),
        "enterprise": Decimal("524800.00"),
        "villagers": Decimal("499200.00"),
    }
    assert distribution.payouts.filter(household__isnull=False).count() == 20


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cockpit_page_shows_the_figures_with_links(demo, language):
    client = language_client(language)
    client.force_login(User.objects.get(username="taskforce"))
    page = client.get(reverse("dashboard:cockpit")).content.decode()
    for figure in ("88", "90 / 90", "100.0", "81", "30"):
        assert figure in page
    # 770 million yuan as each language counts it.
    assert ("7.7 <span" if language == "zh-hans" else "770 <span") in page
    assert ("亿元" if language == "zh-hans" else "million yuan") in page
    assert reverse("projects:project_list") + "?landed=true" in page
    assert ("驾驶舱" if language == "zh-hans" else "Cockpit") in page


def test_every_figure_links_to_the_list_it_counts(demo):
    client = Client()
    client.force_login(User.objects.get(username="taskforce"))
    figures = headline()
    counts = {
        "/registry/enterprise/?paired=true": figures.paired_enterprises,
        "/registry/village/?paired=true": figures.paired_villages,
        "/pairing/pairing/?status=active&has_leader=true": figures.pairings_with_leader,
        "/projects/project/?landed=true": figures.projects_landed,
        "/projects/project/?is_demonstration=true": figures.demonstration_projects,
        "/registry/town/?is_demonstration=true": figures.demonstration_towns,
    }
    for url, expected in counts.items():
        response = client.get(url)
        assert response.context["table"].paginator.count == expected, url


def test_public_page_needs_no_login_and_shows_headlines_only(demo):
    page = Client().get("/", follow=True)  # an anonymous visitor to the site's address
    assert page.redirect_chain == [(reverse("dashboard:public"), 302)]
    assert page.status_code == 200
    text = page.content.decode()
    assert "7.7 <" in text and "亿元" in text and "88" in text
    assert "石角塔村" not in text
    assert "navbar-toggler" not in text  # no menu button where there is no menu


def test_shijiaota_villagers_earn_6400_a_month(demo):
    from datetime import date

    from cunqi.benefits import selectors as benefit_selectors

    village = Village.objects.get(name="石角塔村")
    wages = benefit_selectors.village_wages(village, date(2026, 10, 1))
    assert wages.employed == 12
    assert wages.average_monthly_wage == Decimal("6400.00")


def test_shijiaota_collective_earns_over_500000_computed_from_rows(demo):
    from cunqi.benefits.statements import village_collective_statement

    shijiaota = Village.objects.get(name="石角塔村")
    statement = village_collective_statement(shijiaota, 2025)
    assert statement.total == Decimal("560000.00")
    # The cockpit sums the same rows for every village at once.
    collective = collective_income()
    assert collective.year == 2025
    assert collective.by_village[shijiaota.pk] == statement.total
    xihulusu = Village.objects.get(name="西葫芦素村")
    assert collective.by_village[xihulusu.pk] == village_collective_statement(xihulusu, 2025).total
    figures = headline()
    assert figures.strong_collective_villages == 1
    assert figures.collective_income == collective.total
    client = language_client("en")
    client.force_login(User.objects.get(username="taskforce"))
    page = client.get(reverse("dashboard:cockpit")).content.decode()
    assert "Village collective income 2025" in page
    assert reverse("benefits:village_statement", args=[shijiaota.pk, 2025]) in page
    assert "560,000.00" in page


def test_nijiagou_hands_its_facilities_over_after_15_years(demo):
    project = Project.objects.get(villages__name="倪家沟村")
    assert project.handover.receiving_village.name == "倪家沟村"
    assert project.handover.due_date == project.handover_date
    assert project.handover.status == "pending"
    assert project.handover.assets.count() == 3


def test_the_green_channel_case_has_one_document_supplied_and_one_overdue(demo):
    approval = Approval.objects.get()
    assert approval.green_channel
    statuses = dict(
        approval.documents.filter(kind__stage__code="establishment").values_list(
            "kind__code", "status"
        )
    )
    assert statuses == {"proposal": "supplied", "feasibility": "promised"}
    overdue = approval.documents.get(kind__code="feasibility")
    assert overdue.is_overdue(timezone.localdate())
    assert approval.documents.get(kind__code="proposal").file.read().startswith(b"%PDF")
    card = Card.objects.get(rule=RuleSetting.Rule.DOCUMENTS)
    assert (card.project, card.colour) == (approval.project, Card.Colour.RED)
    client = Client()
    client.force_login(User.objects.get(username="taskforce"))
    page = client.get(approval.get_absolute_url()).content.decode()
    assert "项目建议书.pdf" in page and "可行性研究报告" in page
    assert ApprovalDocument.objects.filter(status="required").count() == 5


def test_funds_reconcile_and_policy_support_shows_in_the_cockpit(demo):
    from cunqi.funds.models import Allocation, FundBudget

    for budget in FundBudget.objects.all():
        assert budget.allocated == sum(
            (a.amount for a in budget.allocations.all()), Decimal("0.00")
        )
        assert budget.allocated <= budget.amount
    for allocation in Allocation.objects.all():
        assert allocation.disbursed == sum(
            (d.amount for d in allocation.disbursements.all()), Decimal("0.00")
        )
    client = language_client("zh-hans")
    client.force_login(User.objects.get(username="taskforce"))
    page = client.get(reverse("dashboard:cockpit")).content.decode()
    assert "农业农村局" in page and "示例顾问" not in page  # counts, not names
    assert 'id="policy-support"' in page


def test_advisors_and_experts_appear_on_village_pages(demo):
    shijiaota = Village.objects.get(name="石角塔村")
    client = Client()
    client.force_login(User.objects.get(username="advisor"))
    page = client.get(shijiaota.get_absolute_url()).content.decode()
    assert "示例顾问" in page and "示例专家" in page


def test_the_cockpits_linkage_is_the_rows_counted_independently(demo):
    """Households linked this year, counted here straight from each kind of row."""
    from datetime import date

    from django.db.models import Q

    from cunqi.benefits.models import Delivery, Employment, LandTransfer, Payout

    year = timezone.localdate().year
    first, last = date(year, 1, 1), date(year, 12, 1)
    employed = Employment.objects.filter(household__isnull=False, start_month__lte=last).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=first)
    )
    paid = Payout.objects.filter(
        household__isnull=False,
        distribution__year=year,
        distribution__status=Distribution.Status.POSTED,
    )
    leased = LandTransfer.objects.filter(
        household__isnull=False, start_date__lte=date(year, 12, 31), end_date__gt=first
    )
    delivered = Delivery.objects.filter(household__isnull=False, delivered_on__year=year)
    linked = set()
    for rows in (employed, paid, leased, delivered):
        linked |= set(rows.values_list("household", flat=True))
    served_first = Household.objects.filter(
        pk__in=linked, status__in=(Household.Status.LIFTED, Household.Status.MONITORED)
    ).count()
    figures = headline()
    assert linked, "the demo links households this year"
    assert (figures.households_linked, figures.households_served_first) == (
        len(linked),
        served_first,
    )
    client = Client()
    client.force_login(User.objects.get(username="taskforce"))
    page = client.get(reverse("benefits:linkage"))
    assert page.context["summary"].households == len(linked)
    assert page.context["page"].paginator.count == len(linked)
