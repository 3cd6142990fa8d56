"""Celery tasks of accounts: thin, idempotent, calling the export service and My tasks."""

from celery import shared_task

from . import exports, inbox


@shared_task
def run_export(job_id: int) -> int | None:
    """Write a queued list export (a finished job is left as it is)."""
    job = exports.build_export(job_id=job_id)
    return job.rows if job is not None else None


@shared_task
def warm_my_tasks() -> int:
    """Each morning: the staff's My tasks gathered before their first page of the day."""
    return inbox.warm_homes()
