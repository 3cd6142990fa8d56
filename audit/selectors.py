from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist

from .labels import action_label
from .models import AuditEvent
from .visibility import SYSTEM, actor_for_applicant, kind_of, reads_full_log


def events_for(*, target):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
    ).select_related("actor")


def state_labels(event) -> dict:
    """Labels of the target model's ``status`` choices, so no raw state code is shown."""
    model = event.target_type.model_class()
    if model is None:
        return {}
    try:
        field = model._meta.get_field("status")
    except FieldDoesNotExist:
        return {}
    return {str(k): str(v) for k, v in (field.flatchoices or [])}


def timeline_for(*, target, viewer, labels=None) -> list[AuditEvent]:
    """The events of ``target`` that ``viewer`` may read, ready to display.

    Each event gets ``display_label``, ``display_actor``, ``from_label``/``to_label``
    (state labels, never codes), ``show_transition`` (False when the state did not change:
    the label then says what happened) and ``display_reason``. Readers outside the offices
    get the applicant timeline of ``audit.visibility``: only the kinds declared for them,
    with actors outside their organization anonymised.
    """
    labels = labels or {}
    full = reads_full_log(viewer)
    labels_of_states = None
    shown = []
    for event in events_for(target=target).select_related("target_type"):
        kind = kind_of(event.action)
        if not full and not kind.applicant:
            continue
        data = event.data if isinstance(event.data, dict) else {}
        if labels_of_states is None:
            labels_of_states = state_labels(event)
        label = (
            (not full and kind.label and str(kind.label))
            or action_label(event.action, data.get("label", ""))
            or labels.get(event.action)
        )
        event.display_label = label or event.action
        event.display_actor = (
            (str(event.actor) if event.actor else str(SYSTEM))
            if full
            else actor_for_applicant(event, kind, viewer)
        )
        # The state labels in the active language; the labels stored with the event (in the
        # language of its time) only for a state the model no longer has.
        event.from_label = labels_of_states.get(event.from_state) or data.get("from_label", "")
        event.to_label = labels_of_states.get(event.to_state) or data.get("to_label", "")
        if event.from_state and not event.from_label:
            event.from_label = event.from_state
        if event.to_state and not event.to_label:
            event.to_label = event.to_state
        event.show_transition = bool(event.to_state) and event.from_state != event.to_state
        event.display_reason = data.get("reason", "") if (full or kind.show_reason) else ""
        shown.append(event)
    return shown
