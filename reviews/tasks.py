"""Celery tasks of the expert review: thin, idempotent, calling services."""

from celery import shared_task


@shared_task(name="reviews.tasks.send_score_reminders")
def send_score_reminders() -> dict:
    """Hourly (beat): remind experts of scores due in two days, tell officers of overdue ones."""
    from .services.reminders import send_score_reminders as run

    return run()


@shared_task(name="reviews.tasks.issue_opinion_documents")
def issue_opinion_documents(panel_id: int) -> list[int]:
    """After a conclusion: issue the panel opinion with its verification code (once)."""
    from .services.opinion_documents import issue_opinion_documents as run

    return sorted(document.pk for document in run(actor=None, panel_id=panel_id).values())


@shared_task(name="reviews.tasks.build_panel_pack")
def build_panel_pack(panel_id: int) -> int:
    """Build and keep a panel's pack (a second run returns the same file)."""
    from .pack import build_pack

    return build_pack(panel_id=panel_id).pk
