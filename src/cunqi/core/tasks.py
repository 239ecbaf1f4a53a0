from django_tasks import task


@task()
def warn_of_missing_calendar() -> None:
    """Tell the task force of a year whose holidays are not entered: daily by the
    scheduler, each year's warning once."""
    from cunqi.core import notices

    notices.warn_of_missing_calendar()


@task()
def write_export(job_id: int) -> None:
    """A list's Excel export too long to write while its user waited."""
    from cunqi.core import exports
    from cunqi.core.models import ExportJob

    exports.write(ExportJob.objects.select_related("user").get(pk=job_id))


@task()
def purge_exports() -> None:
    """Daily by the scheduler: exports older than CUNQI_EXPORT_KEEP_DAYS, files and all."""
    from cunqi.core import exports

    exports.purge()
