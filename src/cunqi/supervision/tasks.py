from django_tasks import task

from cunqi.supervision import services


@task()
def evaluate_cards() -> None:
    """The cards' evaluation: monthly by the scheduler (cunqi evaluate_cards), or on demand."""
    services.evaluate_cards()


@task()
def generate_bulletin(bulletin_id: int) -> None:
    from cunqi.supervision.models import Bulletin

    services.generate_bulletin(Bulletin.objects.get(pk=bulletin_id))
