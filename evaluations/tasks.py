"""Celery tasks of the evaluations app: thin, idempotent, calling services."""

from celery import shared_task


@shared_task
def open_due_evaluations(today: str | None = None) -> list[int]:
    """Beat task (daily): open the evaluation of every active center whose three-year cycle
    comes due within EVALUATIONS_OPEN_WINDOW_DAYS, and remind the centers of self-reports past
    their deadline (and issue any revocation notice not issued yet). Running it twice opens and reminds nothing twice. ``today`` (ISO date)
    fixes the day for tests; the beat passes nothing."""
    import datetime as dt

    from .services import consequences, scheduling, self_reports

    day = dt.date.fromisoformat(today) if today else None
    opened = [e.pk for e in scheduling.open_due(actor=None, today=day)]
    self_reports.send_overdue_reminders(today=day)
    consequences.issue_missing()  # revocation notices a broken broker did not issue
    return opened


@shared_task
def issue_revocation_notice(evaluation_id: int) -> int:
    """Issue the revocation notice of a revoking evaluation (once)."""
    from .services import consequences

    return consequences.issue_revocation_notice(actor=None, evaluation_id=evaluation_id).pk
