"""The evaluation history on the center page (registered in centers.sections at start-up):
every evaluation, grade, decision and rectification; officers open the next one here."""

from __future__ import annotations

from django.template.loader import render_to_string

from centers.models import CenterStatus
from centers.selectors_center import sees_all

from . import selectors
from .models import EvaluationStatus


def history_section(request, center) -> str:
    evaluations = list(selectors.history(center))
    officer = request.user.has_role("provincial_officer")
    visible = set(
        selectors.visible(request.user).filter(center=center).values_list("pk", flat=True)
    )
    return render_to_string(
        "evaluations/_center_history.html",
        {
            "center": center,
            "evaluations": evaluations,
            "linked": bool(visible) or sees_all(request.user),
            "may_open": officer
            and center.status == CenterStatus.ACTIVE
            and not any(e.status != EvaluationStatus.DECIDED for e in evaluations),
        },
        request=request,
    )
