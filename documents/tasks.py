"""Celery tasks of the documents app: thin, idempotent, calling services."""

from celery import shared_task

from . import services


@shared_task
def issue_designation_notice(center_id: int) -> int:
    """Issue a center's designation notice (once: a second run returns the same document)."""
    return services.issue_designation_notice(actor=None, center_id=center_id).pk
