"""The one helper services call, inside their transaction, to write an audit event."""

import threading
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import entered, signals
from .models import AuditEvent

_request_ip = threading.local()


def set_request_ip(ip: str | None) -> None:
    _request_ip.value = ip


def current_ip() -> str | None:
    return getattr(_request_ip, "value", None)


class NotInTransaction(RuntimeError):
    pass


def record(
    *,
    actor,
    action: str,
    target,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
    ip: str | None = None,
    using: str = "default",
) -> AuditEvent:
    """Write an audit event. Must run inside the caller's transaction.

    The event is part of the change: if the transaction rolls back, so does the event. An
    event with a ``to_state`` also stores its time as the target's ``state_entered_at``
    when the target's model has that column (audit.entered).
    """
    if not transaction.get_connection(using).in_atomic_block:
        raise NotInTransaction("audit.record() must be called inside transaction.atomic().")
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        from_state=from_state or "",
        to_state=to_state or "",
        data=data or {},
        ip=ip or current_ip(),
    )
    if to_state:
        entered.mark([target], [event.created_at])
    signals.recorded.send(
        sender=target._meta.model, targets=[target], from_state=from_state, to_state=to_state
    )
    return event


def record_many(
    *,
    actor,
    action: str,
    targets,
    from_state: str = "",
    to_state: str = "",
    data_for=None,
    using: str = "default",
) -> list[AuditEvent]:
    """Write one event per target in one INSERT (batch jobs: a fixed number of queries
    whatever the number of targets). Same rules as :func:`record`; ``data_for(target)``
    gives each event's data; with a ``to_state`` every target's ``state_entered_at`` is set
    in one bulk UPDATE."""
    if not transaction.get_connection(using).in_atomic_block:
        raise NotInTransaction("audit.record_many() must be called inside transaction.atomic().")
    targets = list(targets)
    if not targets:
        return []
    content_type = ContentType.objects.get_for_model(targets[0], for_concrete_model=False)
    who = actor if getattr(actor, "is_authenticated", False) else None
    ip = current_ip()
    events = AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=who,
                action=action,
                target_type=content_type,
                target_id=str(target.pk),
                target_repr=str(target)[:300],
                from_state=from_state or "",
                to_state=to_state or "",
                data=(data_for(target) if data_for else {}) or {},
                ip=ip,
            )
            for target in targets
        ],
        batch_size=1000,
    )
    if to_state:
        entered.mark(targets, [event.created_at for event in events])
    signals.recorded.send(
        sender=targets[0]._meta.model, targets=targets, from_state=from_state, to_state=to_state
    )
    return events
