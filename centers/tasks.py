"""Celery tasks of the centers app: thin, idempotent, calling services."""

from celery import shared_task

from .services import designation


@shared_task
def designate_due() -> list[int]:
    """Beat task (twice an hour): designate every plan whose publicity is over with no open
    objection. Running it twice, or together with an officer's button, designates once."""
    return [center.pk for center in designation.designate_due()]


@shared_task
def issue_change_approval(request_id: int) -> int:
    """Issue the approval document of an approved rename/reorganization (once)."""
    from .services import change_documents

    return change_documents.issue_change_approval(actor=None, request_id=request_id).pk


@shared_task
def remind_waiting(now: str | None = None) -> dict:
    """Beat task (daily): remind the organizing departments and the province of change
    requests and annual reports waiting too long, and the centers' staff (and departments)
    of annual reports due soon or overdue. Running it twice sends nothing twice.
    ``now`` (ISO 8601) fixes the clock for tests; the beat passes nothing."""
    import datetime as dt

    from .services import change_reminders, report_reminders

    moment = dt.datetime.fromisoformat(now) if now else None
    result = change_reminders.send_waiting_reminders(now=moment)
    # annual reports not submitted: before the deadline (staff) and overdue (staff, department)
    result["report_deadlines"] = report_reminders.send_report_deadline_reminders(now=moment)
    return result
