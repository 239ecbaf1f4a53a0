from django_tasks import task

from cunqi.pairing import recommend
from cunqi.pairing.models import MatchingRun


@task()
def run_matching(run_id: int) -> None:
    recommend.execute(MatchingRun.objects.get(pk=run_id))
