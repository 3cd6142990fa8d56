"""The one write path for the application state graph (DESIGN §3)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from accounts import inbox_topics
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
                _(
                    "Someone else has dealt with this application; it is now “%(status)s”. "
                    "Reload the page to see it."
                )
                % {"status": status_label(app.status)}
            )
        info = transition_info(app, transition)
        if info is None:
            raise TransitionError(
                _("This cannot be done while the application is “%(status)s”.")
                % {"status": status_label(app.status)}
            )
        if actor is not None and not info.has_perm(app, actor):
            raise PermissionDenied(_("You may not do this to the application."))
        app._decision_reason = reason
        failed = [
            str(c.message) if hasattr(c, "message") else c.__name__
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
            raise TransitionError(
                _("Someone else has dealt with this application; reload the page to see it.")
            ) from exc
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


# ---- applicant side: drafting, attachments, submit, withdraw ---------------

EDITABLE = (Status.DRAFT, Status.RETURNED, Status.IMPROVING)
SUBMIT_FOR_STATUS = {
    Status.DRAFT: "submit",
    Status.RETURNED: "resubmit",
    Status.IMPROVING: "submit_improved",
}


def can_edit(application: Application, user) -> bool:
    from accounts.roles import APPLICANT

    return (
        application.status in EDITABLE
        and user.is_authenticated
        and user.has_role(APPLICANT)
        and user.has_perm("applications.change_application", application)
    )


def _lock_for_edit(*, actor, application_id: int) -> Application:
    app = Application.objects.select_for_update().get(pk=application_id)
    if not (
        actor is not None
        and actor.has_role("applicant")
        and actor.has_perm("applications.change_application", app)
    ):
        raise PermissionDenied(_("You may not change this plan."))
    if app.status not in EDITABLE:
        raise TransitionError(
            _("The plan is now “%(status)s” and cannot be changed.")
            % {"status": status_label(app.status)}
        )
    return app


def application_create(
    *, actor, name: str, kind: str, industry_field=None, strategic_areas=(), department
) -> Application:
    """Create a draft plan of the actor's organization; its group may see and edit it."""
    from guardian.shortcuts import assign_perm

    from accounts.roles import APPLICANT

    if actor is None or actor.organization_id is None or not actor.has_role(APPLICANT):
        raise PermissionDenied(_("Only users of an applicant organization can create a plan."))
    with transaction.atomic():
        app = Application.objects.create(
            organization=actor.organization,
            department=department,
            created_by=actor,
            name=name,
            kind=kind,
            industry_field=industry_field if kind == "domain" else None,
            plan={"targets": {"items": _default_targets()}},
        )
        if kind == "comprehensive":
            app.strategic_areas.set(list(strategic_areas))
        group = actor.organization.group
        for perm in ("view_application", "change_application"):
            assign_perm(f"applications.{perm}", group, app)
        record(
            actor=actor,
            action="application.create",
            target=app,
            to_state=app.status,
            data={"label": "创建建设方案", "to_label": "草稿"},
        )
    return app


def _default_targets():
    from .sections import default_targets

    return default_targets()


def application_update_basics(
    *,
    actor,
    application_id: int,
    name: str,
    kind: str,
    industry_field=None,
    strategic_areas=(),
    department,
) -> Application:
    with transaction.atomic():
        app = _lock_for_edit(actor=actor, application_id=application_id)
        if app.status != Status.DRAFT and department.pk != app.department_id:
            raise TransitionError(
                _("The organizing department cannot change once the plan is submitted.")
            )
        app.name = name
        app.kind = kind
        app.industry_field = industry_field if kind == "domain" else None
        app.department = department
        Application.objects.filter(pk=app.pk).update(
            name=app.name,
            kind=app.kind,
            industry_field=app.industry_field,
            department=app.department,
            updated_at=_now(),
        )
        inbox_topics.touch(Application, [app.status])  # a task shows the plan's name
        app.strategic_areas.set(list(strategic_areas) if kind == "comprehensive" else [])
    return app


def _now():
    from django.utils import timezone

    return timezone.now()


def application_save_section(
    *, actor, application_id: int, section: str, data: dict
) -> Application:
    """Save one plan section as typed (a draft may be incomplete)."""
    from . import sections

    if section not in {s.code for s in sections.PLAN_SECTIONS}:
        raise ValueError(f"{section} is not a plan section")
    with transaction.atomic():
        app = _lock_for_edit(actor=actor, application_id=application_id)
        plan = dict(app.plan or {})
        plan[section] = data
        app.plan = plan
        # update() keeps the FSM state untouched (ConcurrentTransitionMixin)
        Application.objects.filter(pk=app.pk).update(plan=plan, updated_at=_now())
    return app


def attachment_add(*, actor, application_id: int, kind: str, upload, name: str, content_type: str):
    """Store a checked upload privately and attach it to the draft."""
    from .files import sha256_of
    from .models import Attachment

    with transaction.atomic():
        app = _lock_for_edit(actor=actor, application_id=application_id)
        attachment = Attachment(
            application=app,
            kind=kind,
            name=name,
            size=upload.size,
            sha256=sha256_of(upload),
            content_type=content_type,
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        record(
            actor=actor,
            action="application.attachment_add",
            target=app,
            data={"label": "上传附件", "attachment": attachment.pk, "name": name, "kind": kind},
        )
    return attachment


def attachment_remove(*, actor, application_id: int, attachment_id: int) -> None:
    """Hide an attachment from the draft; the file stays for versions that reference it."""
    from .models import Attachment

    with transaction.atomic():
        app = _lock_for_edit(actor=actor, application_id=application_id)
        updated = Attachment.objects.filter(
            pk=attachment_id, application=app, removed_at__isnull=True
        ).update(removed_at=_now())
        if updated:
            record(
                actor=actor,
                action="application.attachment_remove",
                target=app,
                data={"label": "移除附件", "attachment": attachment_id},
            )


def application_submit(*, actor, application_id: int, expected_status: str | None = None):
    """Submit (draft), resubmit (returned) or submit the improved plan (improving).

    Freezes a version and assigns the number (``versions.on_submitted``), through the
    transition hook or here when the hook did not.
    """
    from .versions import on_submitted

    with transaction.atomic():
        current = Application.objects.only("status").get(pk=application_id).status
        transition = SUBMIT_FOR_STATUS.get(expected_status or current)
        if transition is None:
            raise TransitionError(
                _("The plan cannot be submitted while it is “%(status)s”.")
                % {"status": status_label(current)}
            )
        app = application_transition(
            actor=actor,
            application_id=application_id,
            transition=transition,
            expected_status=expected_status or current,
        )
        on_submitted(app, actor, transition)  # no-op when the hook already froze it
    return app


def application_withdraw(*, actor, application_id: int, reason: str) -> Application:
    if not (reason or "").strip():
        raise TransitionError(_("Give the reasons for withdrawing."))
    return application_transition(
        actor=actor, application_id=application_id, transition="withdraw", reason=reason.strip()
    )
