from django_tasks import task


@task()
def warn_of_missing_calendar() -> None:
    """Tell the task force of a year whose holidays are not entered: daily by the
    scheduler, each year's warning once."""
    from cunqi.core import notices

    notices.warn_of_missing_calendar()
