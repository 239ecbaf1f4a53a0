from django_tasks import task

from cunqi.exchange import services
from cunqi.exchange.models import ImportJob


@task()
def run_import(job_id: int, commit: bool) -> None:
    with services.held(job_id):
        services.run(ImportJob.objects.get(pk=job_id), commit=commit)


@task()
def resume_imports() -> None:
    """Every ten minutes by the scheduler: the imports a dead worker left, queued again."""
    services.resume_orphaned()
