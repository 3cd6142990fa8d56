"""Pages every party of an evaluation shares: the list, the evaluation page, its files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from centers.selectors_center import sees_all
from centers.services.profile import can_keep
from centers.views_common import private_file_response

from . import selectors
from .forms import (
    CreditCheckForm,
    DecideForm,
    FollowUpForm,
    ListFilterForm,
    NonSubmissionForm,
    RectificationReportForm,
)
from .models import EvaluationFile, EvaluationStatus, RectificationStatus
from .services import scoring, self_reports
from .services.common import is_assigned_evaluator


@login_required
def evaluation_list(request):
    """The province: every evaluation, with filters; others: those they see."""
    form = ListFilterForm(request.GET or None)
    rows = selectors.filtered(selectors.visible(request.user), **form.filters())
    page = Paginator(rows.order_by("-opened_at", "-pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluations/list.html",
        {"form": form, "page": page, "rows": page.object_list, "query": query.urlencode()},
    )


def roles_on(user, evaluation) -> dict:
    return {
        "officer": sees_all(user),
        "keeper": can_keep(user, evaluation.center),
        "evaluator": is_assigned_evaluator(user, evaluation),
    }


@login_required
def evaluation_detail(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    roles = roles_on(request.user, evaluation)
    report = getattr(evaluation, "self_report", None)
    rectification = getattr(evaluation, "rectification", None)
    staff_side = roles["officer"] or roles["evaluator"]
    decided = evaluation.status == EvaluationStatus.DECIDED
    context = {
        "evaluation": evaluation,
        "center": evaluation.center,
        **roles,
        "report": report,
        "values": list(report.values.all()) if report else [],
        "files": list(evaluation.files.all()),
        "credit": getattr(evaluation, "credit_check", None),
        "rectification": rectification,
        # scores and the hearing: the institution and the province; the center once decided
        "rows": scoring.rows(evaluation) if staff_side or decided else [],
        "hearing": getattr(evaluation, "hearing", None) if staff_side else None,
        "overdue": evaluation in selectors.self_reports_overdue(request.user),
        "revocable": roles["officer"] and self_reports.revocable_for_non_submission(evaluation),
    }
    if roles["officer"]:
        if evaluation.status in ("commissioned", "self_report") and not context["credit"]:
            context["credit_form"] = CreditCheckForm()
        if evaluation.status == EvaluationStatus.PROPOSED:
            context["decide_form"] = DecideForm(initial={"grade": evaluation.proposed_grade})
        if context["revocable"]:
            context["non_submission_form"] = NonSubmissionForm()
        if rectification and rectification.status == RectificationStatus.REPORTED:
            context["follow_up_form"] = FollowUpForm()
    if roles["keeper"] and rectification and rectification.status == RectificationStatus.REQUIRED:
        context["rectification_form"] = RectificationReportForm()
    return render(request, "evaluations/detail.html", context)


@login_required
def evaluation_file(request, pk, file_pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    item = evaluation.files.filter(pk=file_pk).first()
    if item is None:
        raise Http404("No such file.")
    roles = roles_on(request.user, evaluation)
    if item.part == EvaluationFile.Part.CREDIT and not (roles["officer"] or roles["evaluator"]):
        raise Http404("No such file.")
    return private_file_response(item.file, item.name)


@login_required
def report_file(request, pk):
    """The institution's formal report: the province, the institution; the center once decided."""
    evaluation = selectors.evaluation_for(request.user, pk)
    roles = roles_on(request.user, evaluation)
    if not (roles["officer"] or roles["evaluator"]) and evaluation.status != "decided":
        raise Http404("No such file.")
    return private_file_response(
        evaluation.report_file, evaluation.report_name or "评估报告.pdf"
    )  # the file's name, as issued
