"""What the write path of evaluations shares: the refusal type, who acts, recipients, locks,
uploads and notifications after the commit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import objects_for
from accounts.roles import EVALUATOR, require_officer
from centers.services.common import CentersError, active_users, center_staff, check_file
from centers.services.common import officer_users as officers
from documents.languages import in_chinese
from evaluations.models import Evaluation, EvaluationFile

__all__ = [
    "EvaluationError",
    "active_users",
    "attach",
    "center_staff",
    "evaluator_users",
    "is_assigned_evaluator",
    "lock",
    "notify_later",
    "officers",
    "require_evaluator",
    "require_officer",
    "require_state",
    "zh",
]


class EvaluationError(CentersError):
    """A refused evaluation action; ``messages`` (in the request's language, English msgids
    with the Chinese in the catalog) are shown to the user."""


# What services store (audit labels, notifications) is the Chinese record.
zh = in_chinese


def notify_later(recipients, subject, body="", link=""):
    """Queue in-app messages (and their e-mail copies) for after the commit."""
    from notifications.services import notify

    people = list(recipients)
    transaction.on_commit(lambda: notify(recipients=people, subject=subject, body=body, link=link))


def lock(evaluation_id) -> Evaluation:
    """Lock the evaluation row (only it: no outer joins under FOR UPDATE), then read it."""
    found = (
        Evaluation.objects.select_for_update(of=("self",))
        .filter(pk=evaluation_id)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise EvaluationError(_("This evaluation does not exist."))
    return Evaluation.objects.select_related(
        "center__lead_organization", "center__department", "institution", "template"
    ).get(pk=found)


def require_state(evaluation: Evaluation, *states, doing: str) -> None:
    """A stale page or a second press: say what happened instead of a second transition."""
    if evaluation.status not in states:
        raise EvaluationError(
            _(
                "Cannot %(doing)s: the evaluation is now “%(status)s”; someone may have dealt "
                "with it already. Reload the page to see where it stands."
            )
            % {"doing": doing, "status": evaluation.get_status_display()}
        )


def is_assigned_evaluator(user, evaluation: Evaluation) -> bool:
    """An evaluator of the institution the evaluation is commissioned to (object permission)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(EVALUATOR):
        return False
    return objects_for(
        user, "evaluations.score_evaluation", Evaluation.objects.filter(pk=evaluation.pk)
    ).exists()


def require_evaluator(user, evaluation: Evaluation) -> None:
    if not is_assigned_evaluator(user, evaluation):
        raise PermissionDenied(
            _("Only the evaluators of the commissioned institution can do this.")
        )


def evaluator_users(institution_id):
    from accounts.roles import group_name

    return active_users(groups__name=group_name(EVALUATOR), organization_id=institution_id)


def attach(*, actor, evaluation, part, uploads, label) -> list[EvaluationFile]:
    """Check (by content) and store uploaded files of one part of the evaluation."""
    uploads = [u for u in uploads if u]
    for upload in uploads:
        check_file(upload, label, EvaluationError)
    return [
        EvaluationFile.objects.create(
            evaluation=evaluation,
            part=part,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            uploaded_by=actor,
        )
        for upload in uploads
    ]
