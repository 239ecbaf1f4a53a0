"""Land transfers and the rent paid for them, through their doors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunqi.benefits.models import (
    LandTransfer,
    RentPayment,
)
from cunqi.core.doors import Door, door, register
from cunqi.registry.models import Village

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class LandTransferDoor(Door):
    """A lease is checked under a lock on its village (and on itself, against payments
    recorded meanwhile), so that two leases saved at the same moment cannot together
    exceed what the village has; in an import, each against those saved before it."""

    model = LandTransfer
    one_by_one = True

    def prepare(self, row: LandTransfer, user: User, *, previous: LandTransfer | None) -> None:
        Village.objects.select_for_update().filter(pk=row.village_id).first()


def save_land_transfer(transfer: LandTransfer, user: User) -> LandTransfer:
    return door(LandTransfer).save_instance(user, transfer)


@register
class RentPaymentDoor(Door):
    """A payment is checked under a lock on its lease, so that two payments recorded at
    the same moment cannot together pay a year beyond what is due."""

    model = RentPayment

    def prepare(self, row: RentPayment, user: User, *, previous: RentPayment | None) -> None:
        LandTransfer.objects.select_for_update().filter(pk=row.transfer_id).first()


def record_rent_payment(payment: RentPayment, user: User) -> RentPayment:
    return door(RentPayment).save_instance(user, payment)
