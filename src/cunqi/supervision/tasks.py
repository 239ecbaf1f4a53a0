from django_tasks import task

from cunqi.supervision import services


@task()
def evaluate_cards() -> None:
    """The cards' evaluation: daily by the scheduler, or on demand (cunqi evaluate_cards)."""
    services.evaluate_cards()


@task()
def notify_due() -> None:
    """Reminders of reports and action items coming due: daily by the scheduler."""
    from cunqi.supervision import notices

    notices.notify_due()


@task()
def generate_bulletin(bulletin_id: int) -> None:
    from cunqi.supervision.models import Bulletin

    services.generate_bulletin(Bulletin.objects.get(pk=bulletin_id))
