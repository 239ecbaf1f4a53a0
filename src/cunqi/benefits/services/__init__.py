"""The benefits' writes, by sub-domain, each through its door. Importing the package
registers every door (core.doors discovers apps' ``services``)."""

from cunqi.benefits.services.distributions import (
    DistributionDoor,
    approve_distribution,
    approve_distributions,
    prepare_distribution,
    prepare_distributions,
)
from cunqi.benefits.services.equity import (
    EquityStructureDoor,
    VillagerWeightDoor,
    save_structure,
    share_message,
    structure_in_force,
    structure_in_use,
)
from cunqi.benefits.services.land import (
    LandTransferDoor,
    RentPaymentDoor,
    record_rent_payment,
    save_land_transfer,
)
from cunqi.benefits.services.ledger import (
    post_distribution,
    post_distributions,
    reverse_distribution,
)

__all__ = [
    "DistributionDoor",
    "EquityStructureDoor",
    "LandTransferDoor",
    "RentPaymentDoor",
    "VillagerWeightDoor",
    "approve_distribution",
    "approve_distributions",
    "post_distribution",
    "post_distributions",
    "prepare_distribution",
    "prepare_distributions",
    "record_rent_payment",
    "reverse_distribution",
    "save_land_transfer",
    "save_structure",
    "share_message",
    "structure_in_force",
    "structure_in_use",
]
