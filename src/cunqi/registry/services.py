"""The registry's doors: what each role may change of villages and enterprises."""

from cunqi.core.doors import Door, register
from cunqi.core.roles import Role
from cunqi.registry.models import Enterprise, Town, Village


@register
class TownDoor(Door):
    """Only the task force names demonstration towns (by the criteria's judgement)."""

    model = Town
    restricted_fields = {"is_demonstration": frozenset()}


@register
class VillageDoor(Door):
    """A village's cadres keep its figures; its code and town are the town's to set."""

    model = Village
    restricted_fields = {"code": frozenset({Role.TOWN}), "town": frozenset({Role.TOWN})}


@register
class EnterpriseDoor(Door):
    """An enterprise's contact keeps its details; its credit code is the task force's."""

    model = Enterprise
    restricted_fields = {"uscc": frozenset()}
