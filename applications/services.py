"""The one write path for the application state graph (DESIGN §3)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import ConcurrentTransition

from audit.services import record

from .models import Application, Status


class TransitionError(Exception):
    """A transition that cannot happen now; ``messages`` are Chinese and shown to the user."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(str(m) for m in self.messages))


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: str
    target: str


def transition_info(application: Application, name: str):
    meta = getattr(getattr(Application, name, None), "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{name} is not a transition of Application")
    return meta.get_transition(application.status)


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def application_transition(
    *,
    actor,
    application_id: int,
    transition: str,
    reason: str = "",
    expected_status: str | None = None,
    data: dict | None = None,
) -> Application:
    """Run one transition of the graph.

    Locks the row, refuses a stale decision (``expected_status``), checks the
    actor's permission (``actor=None`` is the system, e.g. a Celery task) and
    the transition's conditions, saves, and writes the audit event in the same
    transaction. Raises ``TransitionError`` with Chinese messages, or
    ``PermissionDenied``.
    """
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application_id)
        if expected_status is not None and app.status != expected_status:
            raise TransitionError(
                f"该申报已被他人处理，当前状态为「{status_label(app.status)}」，请刷新页面后查看。"
            )
        info = transition_info(app, transition)
        if info is None:
            raise TransitionError(f"当前状态「{status_label(app.status)}」下不能执行此操作。")
        if actor is not None and not info.has_perm(app, actor):
            raise PermissionDenied("您无权对该申报执行此操作。")
        app._decision_reason = reason
        failed = [
            c.message if hasattr(c, "message") else c.__name__
            for c in info.conditions
            if not c(app)
        ]
        if failed:
            raise TransitionError(failed)
        from_state = app.status
        getattr(app, transition)()
        if app.status in (Status.RETURNED, Status.REJECTED):
            app.last_reason = reason
        try:
            app.save()
        except ConcurrentTransition as exc:
            raise TransitionError("该申报已被他人处理，请刷新页面后查看。") from exc
        payload = {
            "label": info.custom.get("label", transition),
            "from_label": status_label(from_state),
            "to_label": status_label(app.status),
        }
        if reason:
            payload["reason"] = reason
        if data:
            payload.update(data)
        record(
            actor=actor,
            action=f"application.{transition}",
            target=app,
            from_state=from_state,
            to_state=app.status,
            data=payload,
        )
        _after_transition(app, transition=transition, actor=actor, reason=reason)
    return app


def _after_transition(app: Application, *, transition: str, actor, reason: str) -> None:
    """Side effects inside the same transaction (versions, permissions, notifications)."""
    from . import hooks

    hooks.after_transition(app, transition=transition, actor=actor, reason=reason)
