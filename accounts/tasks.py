"""Celery tasks of accounts: thin, idempotent, calling the export service."""

from celery import shared_task

from . import exports


@shared_task
def run_export(job_id: int) -> int | None:
    """Write a queued list export (a finished job is left as it is)."""
    job = exports.build_export(job_id=job_id)
    return job.rows if job is not None else None
