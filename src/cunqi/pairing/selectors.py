from cunqi.pairing.models import Pairing


def active_pairings():
    return Pairing.objects.filter(status=Pairing.Status.ACTIVE)


def paired_village_ids():
    """Villages in an active pairing, as a subquery."""
    return active_pairings().values("village_id")


def paired_enterprise_ids():
    return active_pairings().values("enterprise_id")
