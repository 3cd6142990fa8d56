"""Celery tasks of the expert review: thin, idempotent, calling services."""

from celery import shared_task


@shared_task(name="reviews.tasks.send_score_reminders")
def send_score_reminders() -> dict:
    """Hourly (beat): remind experts of scores due in two days, tell officers of overdue ones."""
    from .services.reminders import send_score_reminders as run

    return run()
