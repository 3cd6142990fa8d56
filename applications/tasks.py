"""Celery tasks of the applications app: thin, idempotent, calling the module that owns the work."""

from celery import shared_task


@shared_task(name="applications.tasks.render_version_book")
def render_version_book(version_id: int) -> int:
    """Render and keep a frozen version's plan book (a second run returns the same file)."""
    from .models import ApplicationVersion
    from .plan_book import version_book

    return version_book(ApplicationVersion.objects.get(pk=version_id)).pk
