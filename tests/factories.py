"""Test data, built the way the platform builds it."""

from datetime import date
from decimal import Decimal

import factory

from cunqi.accounts.models import User
from cunqi.benefits.models import EquityStructure, Stake
from cunqi.benefits.services import save_structure
from cunqi.core import uscc
from cunqi.core.models import CooperationModel, Industry, ResourceKind
from cunqi.core.roles import Role
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Investment, Project
from cunqi.registry.models import (
    Enterprise,
    Household,
    Person,
    Resource,
    Town,
    Village,
    VillageGroup,
    VillageIncome,
    Zone,
)


def valid_uscc(number: int) -> str:
    body = f"91610881{number:09d}"
    return body + uscc.check_character(body)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"测试片区{n}")


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试镇{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    town = factory.SubFactory(TownFactory)
    code = factory.Sequence(lambda n: f"98{n:010d}")
    name = factory.Sequence(lambda n: f"测试村{n}")
    population = 1000
    household_count = 300


class VillageIncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageIncome

    village = factory.SubFactory(VillageFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)
    amount = Decimal("100000.00")


class VillageGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageGroup

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"第{n}组")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    number = factory.Sequence(lambda n: f"{n:04d}")
    head_name = factory.Sequence(lambda n: f"户主{n}")
    members = 3


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(valid_uscc)
    name = factory.Sequence(lambda n: f"测试企业{n}")
    ownership = Enterprise.Ownership.PRIVATE
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="processing"))
    village_capacity = 2


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    kind = Person.Kind.LEADER


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    village = factory.SubFactory(VillageFactory)
    direction = Resource.Direction.OFFERS
    kind = factory.LazyFunction(lambda: ResourceKind.objects.get(code="arable_land"))
    quantity = Decimal("100.00")
    unit = "亩"


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    village = factory.SubFactory(VillageFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    start_date = date(2023, 1, 1)
    status = Pairing.Status.ACTIVE
    leader = factory.SubFactory(PersonFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="processing"))
    status = Project.Status.BUILDING
    planned_investment = Decimal("1000000.00")
    start_date = date(2024, 1, 1)

    @factory.post_generation
    def villages(self, create, extracted, **kwargs):
        self.villages.set(extracted or [VillageFactory()])

    @factory.post_generation
    def enterprises(self, create, extracted, **kwargs):
        self.enterprises.set(extracted or [EnterpriseFactory()])

    @factory.post_generation
    def cooperation_models(self, create, extracted, **kwargs):
        self.cooperation_models.set(extracted or [CooperationModel.objects.get(code="orders")])


class InvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investment

    project = factory.SubFactory(ProjectFactory)
    month = date(2024, 3, 1)
    source = Investment.Source.ENTERPRISE
    planned_amount = Decimal("1000.00")
    completed_amount = Decimal("800.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.TASKFORCE


def task_force() -> User:
    """The task-force member who arranges a test's data through the platform's doors."""
    user, _created = User.objects.get_or_create(
        username="factory-taskforce", defaults={"role": Role.TASKFORCE}
    )
    return user


def equity_structure(
    project,
    village,
    enterprise,
    group=None,
    shares=("10", "10", "41", "39"),
    valid_from=date(2024, 1, 1),
):
    """A complete structure: village collective, village group, enterprise, villagers."""
    group = group or VillageGroupFactory(village=village)
    holders = (
        (Stake.Holder.VILLAGE_COLLECTIVE, {"village": village}),
        (Stake.Holder.VILLAGE_GROUP, {"village_group": group}),
        (Stake.Holder.ENTERPRISE, {"enterprise": enterprise}),
        (Stake.Holder.VILLAGERS, {"village": village}),
    )
    stakes = [
        Stake(holder=holder, share=Decimal(share), **who)
        for (holder, who), share in zip(holders, shares, strict=True)
    ]
    return save_structure(
        EquityStructure(project=project, valid_from=valid_from), stakes, task_force()
    )
