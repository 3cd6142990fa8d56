"""The panel opinion (专家组意见), the conclusion and the applicant's improvements."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from applications.models import Application
from applications.services import application_transition
from audit.services import record
from notifications.services import notify
from reviews.models import OpinionPoint, Panel, PanelMember
from reviews.services.common import ReviewError, page_link
from reviews.services.members import own_member

log = logging.getLogger(__name__)


def opinion_save(
    *, actor, member_id: int, summary: str, points: list[str], sign: bool = False
) -> Panel:
    """The chair writes the panel opinion (专家组意见) as numbered points; signing fixes it."""
    from reviews.rules import scores_complete

    with transaction.atomic():
        member = own_member(actor, member_id)
        panel = Panel.objects.select_for_update().get(pk=member.panel_id)
        if not member.is_chair or member.status != PanelMember.Status.ACCEPTED:
            raise PermissionDenied(_("Only the panel chair can write the panel opinion."))
        if panel.opinion_written:
            raise ReviewError(_("The panel opinion is signed and can no longer change."))
        points = [p.strip() for p in points if p and p.strip()]
        problems = []
        if sign:
            if not summary.strip():
                problems.append(_("Fill in the panel's overall opinion."))
            if not points:
                problems.append(_("List at least one point to improve."))
            if not scores_complete(panel):
                problems.append(
                    _("The panel opinion can be signed once every expert has submitted scores.")
                )
        if problems:
            raise ReviewError(problems)
        panel.opinion_summary = summary.strip()
        OpinionPoint.objects.filter(panel=panel).delete()
        OpinionPoint.objects.bulk_create(
            [OpinionPoint(panel=panel, number=n, text=t) for n, t in enumerate(points, start=1)]
        )
        fields = ["opinion_summary"]
        if sign:
            panel.opinion_finalized_at = timezone.now()
            fields.append("opinion_finalized_at")
        panel.save(update_fields=fields)
        if sign:
            record(
                actor=actor,
                action="reviews.panel.opinion",
                target=panel.application,
                data={"label": "专家组组长签署专家组意见", "points": len(points)},
            )
            notify(
                recipients=[panel.created_by],
                subject=f"专家组意见已签署：{panel.application.full_name}",
                body="专家组意见已签署，请作出专家论证结论。",
                link=page_link("panel_detail", panel.pk),
            )
    return panel


def opinion_text(panel: Panel) -> str:
    lines = [panel.opinion_summary] if panel.opinion_summary else []
    lines += [f"{p.number}. {p.text}" for p in panel.points.all()]
    return "\n".join(lines)


def panel_conclude(*, actor, panel_id: int, outcome: str) -> Panel:
    """The officer concludes: pass (the plan goes to ``improving``) or fail (``rejected``)."""
    require_officer(actor)
    if outcome not in Panel.Outcome.values:
        raise ReviewError(_("Choose the conclusion of the expert review."))
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError(_("This panel has concluded; reload the page to see it."))
        application_transition(
            actor=actor,
            application_id=panel.application_id,
            transition="conclude_pass" if outcome == "pass" else "conclude_fail",
            reason=opinion_text(panel),
            expected_status=Application.Status.EXPERT_REVIEW,
            data={"panel": panel.pk},
        )
        panel.status = Panel.Status.CONCLUDED
        panel.outcome = outcome
        panel.concluded_at = timezone.now()
        panel.save(update_fields=["status", "outcome", "concluded_at"])
        members = PanelMember.objects.filter(
            panel=panel, status=PanelMember.Status.ACCEPTED
        ).select_related("expert__user", "panel__application")
        notify(
            recipients=[m.expert.user for m in members],
            subject=f"专家论证已作出结论：{panel.application.full_name}",
            body=f"论证结论：{'通过' if outcome == 'pass' else '未通过'}。感谢您的参与。",
            link=page_link("my_panels"),
        )
        transaction.on_commit(lambda: _issue_opinion(panel.pk))
    return panel


OPINION_TASK = "reviews.tasks.issue_opinion_documents"


def _issue_opinion(panel_id: int) -> None:
    """Queue the issued opinion by task name (the tasks module calls the services); the PDF
    view issues it itself if the task has not run yet."""
    from celery import current_app

    try:
        current_app.send_task(OPINION_TASK, args=[panel_id])
    except Exception:  # the broker is down: the first download issues it
        log.exception("could not queue the panel opinion of panel %s", panel_id)


def improvement_save(
    *, actor, application_id: int, answers: dict[int, str], submit: bool = False
) -> Panel:
    """The applicant answers each point of the panel opinion; submitting freezes a new version."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application_id)
        if not actor.has_perm("applications.change_application", app):
            raise PermissionDenied(_("You may not change this plan."))
        if app.status != Application.Status.IMPROVING:
            raise ReviewError(_("This plan is not in the step of improving the plan."))
        panel = Panel.objects.select_for_update().get(application=app)
        now = timezone.now()
        for point in OpinionPoint.objects.select_for_update().filter(panel=panel):
            if point.pk in answers:
                text = (answers[point.pk] or "").strip()
                if text != point.answer:
                    point.answer = text
                    point.answered_at = now if text else None
                    point.save(update_fields=["answer", "answered_at"])
        if submit:
            missing = list(
                OpinionPoint.objects.filter(panel=panel, answer="").values_list("number", flat=True)
            )
            if missing:
                raise ReviewError(
                    [
                        _("Answer point %(number)s of the panel opinion.") % {"number": n}
                        for n in missing
                    ]
                )
            application_transition(
                actor=actor,
                application_id=app.pk,
                transition="submit_improved",
                expected_status=Application.Status.IMPROVING,
                data={"panel": panel.pk},
            )
            panel.improved_submitted_at = now
            panel.save(update_fields=["improved_submitted_at"])
        else:
            record(
                actor=actor,
                action="reviews.improvement.draft",
                target=app,
                data={"label": "保存对专家组意见的回应（草稿）"},
            )
    return panel
