"""When a row entered its current state, stored on the row.

A model whose rows wait in a state (My tasks orders them oldest first) has a
``state_entered_at`` column next to its ``status``. :func:`audit.services.record` (and
``record_many``) set it to the event's ``created_at`` whenever an event with a ``to_state``
is written for such a row, in the same transaction: every state change writes one, so no
service sets the column itself. Its value is the time of the latest audit event to the
row's state, the row's creation when no event recorded it.

:func:`backfill` computes it from the audit trail for the rows that existed before the
column (the data migrations of accounts and applications).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce

FIELD = "state_entered_at"


def has_column(model) -> bool:
    try:
        model._meta.concrete_model._meta.get_field(FIELD)
    except FieldDoesNotExist:
        return False
    return True


def mark(targets, times) -> None:
    """Store each target's entering time (``times``: one per target) on its row, with one
    UPDATE for a single target and one bulk UPDATE for many; ``updated_at`` is not moved."""
    targets = list(targets)
    if not targets or not has_column(type(targets[0])):
        return
    model = type(targets[0])._meta.concrete_model
    for target, at in zip(targets, times, strict=True):
        setattr(target, FIELD, at)
    if len(targets) == 1:
        model._base_manager.filter(pk=targets[0].pk).update(**{FIELD: times[0]})
    else:
        model._base_manager.bulk_update(targets, [FIELD], batch_size=1000)


def backfill(app_label: str, model_name: str, *, fallback: str, state_field: str = "status"):
    """A RunPython function: one UPDATE setting every row's column to the time of the
    latest audit event whose ``to_state`` is the row's state (``fallback`` when none)."""

    def run(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        ContentType = apps.get_model("contenttypes", "ContentType")
        AuditEvent = apps.get_model("audit", "AuditEvent")
        db = schema_editor.connection.alias
        ctype = ContentType.objects.using(db).filter(app_label=app_label, model=model_name.lower())
        events = (
            AuditEvent._base_manager.using(db)
            .filter(
                target_type__in=ctype.values("pk"),
                target_id=Cast(OuterRef("pk"), output_field=CharField()),
                to_state=OuterRef(state_field),
            )
            .order_by("-created_at", "-pk")
            .values("created_at")[:1]
        )
        model._base_manager.using(db).update(**{FIELD: Coalesce(Subquery(events), F(fallback))})

    return run
