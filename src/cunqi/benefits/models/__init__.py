"""The benefits' rows, by sub-domain: equity, distributions, the ledger, employment, land
and orders."""

from cunqi.benefits.models.distributions import Distribution, Payout
from cunqi.benefits.models.employment import Employment
from cunqi.benefits.models.equity import EquityStructure, Stake, VillagerWeight
from cunqi.benefits.models.land import LandTransfer, RentPayment
from cunqi.benefits.models.ledger import JournalEntry, JournalLine
from cunqi.benefits.models.orders import Delivery, Order

__all__ = [
    "Delivery",
    "Distribution",
    "Employment",
    "EquityStructure",
    "JournalEntry",
    "JournalLine",
    "LandTransfer",
    "Order",
    "Payout",
    "RentPayment",
    "Stake",
    "VillagerWeight",
]
