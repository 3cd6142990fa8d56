"""Celery tasks of the centers app: thin, idempotent, calling services."""

from celery import shared_task

from .services import designation


@shared_task
def designate_due() -> list[int]:
    """Beat task (twice an hour): designate every plan whose publicity is over with no open
    objection. Running it twice, or together with an officer's button, designates once."""
    return [center.pk for center in designation.designate_due()]
