"""The province's pages: open an evaluation by hand, commission several at once, record the
credit check, decide, revoke for non-submission, follow up a rectification, and the lists of
overdue self-reports and outstanding centers. Views are thin: the services decide."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import flash_errors, form_errors
from accounts.permissions import require_role
from accounts.roles import PROVINCIAL_OFFICER
from centers.selectors_center import center_for

from . import selectors
from .forms import CommissionForm, CreditCheckForm, DecideForm, FollowUpForm, NonSubmissionForm
from .models import Evaluation, EvaluationStatus
from .services import commissioning, credit, decisions, scheduling
from .services.common import EvaluationError

officer_required = require_role(PROVINCIAL_OFFICER)


@officer_required
@require_POST
def open_evaluation(request, center_pk):
    center = center_for(request.user, center_pk)
    try:
        evaluation = scheduling.open_evaluation(actor=request.user, center_id=center.pk)
    except EvaluationError as exc:
        flash_errors(request, exc)
        return redirect("centers:center_detail", pk=center.pk)
    messages.success(request, _("The three-year evaluation of this center is open."))
    return redirect("evaluations:detail", pk=evaluation.pk)


@officer_required
@require_http_methods(["GET", "POST"])
def commission(request):
    waiting = list(
        Evaluation.objects.filter(status=EvaluationStatus.OPENED)
        .select_related("center")
        .order_by("due_on", "pk")
    )
    kwargs = {"evaluations": waiting, "institutions": commissioning.institutions()}
    first, second = commissioning.default_deadlines()
    if request.method == "POST":
        form = CommissionForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = commissioning.commission(
                    actor=request.user,
                    evaluation_ids=data["evaluations"],
                    institution_id=data["institution"],
                    self_report_deadline=data["self_report_deadline"],
                    evaluation_deadline=data["evaluation_deadline"],
                )
            except EvaluationError as exc:
                form_errors(form, exc)
            else:
                messages.success(
                    request, _("%(count)s evaluations commissioned.") % {"count": len(done)}
                )
                return redirect("evaluations:list")
    else:
        initial = {"self_report_deadline": first, "evaluation_deadline": second}
        picked = request.GET.getlist("evaluation")
        if picked:
            initial["evaluations"] = [p for p in picked if p.isdigit()]
        form = CommissionForm(initial=initial, **kwargs)
    return render(request, "evaluations/commission.html", {"form": form, "waiting": waiting})


def _evaluation(request, pk):
    return selectors.evaluation_for(request.user, pk)


def _form_page(request, evaluation, form, title, action):
    return render(
        request,
        "evaluations/form.html",
        {"evaluation": evaluation, "form": form, "title": title, "action": action},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def credit_check(request, pk):
    evaluation = _evaluation(request, pk)
    form = CreditCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit.record_credit_check(
                actor=request.user, evaluation_id=evaluation.pk, **form.cleaned_data
            )
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Credit check recorded."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    return _form_page(request, evaluation, form, _("Credit check"), "evaluations:credit")


@officer_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    evaluation = _evaluation(request, pk)
    days = int(getattr(settings, "EVALUATIONS_RECTIFICATION_DAYS", 365))
    initial = {
        "grade": evaluation.proposed_grade,
        "deadline": timezone.localdate() + dt.timedelta(days=days),
    }
    form = DecideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decide(actor=request.user, evaluation_id=evaluation.pk, **form.cleaned_data)
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    return _form_page(
        request, evaluation, form, _("Decide on the evaluation"), "evaluations:decide"
    )


@officer_required
@require_http_methods(["GET", "POST"])
def revoke_non_submission(request, pk):
    evaluation = _evaluation(request, pk)
    form = NonSubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.revoke_for_non_submission(
                actor=request.user, evaluation_id=evaluation.pk, note=form.cleaned_data["note"]
            )
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Decided: the center is revoked."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    return _form_page(
        request,
        evaluation,
        form,
        _("Revocation for non-submission"),
        "evaluations:revoke_non_submission",
    )


@officer_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    evaluation = _evaluation(request, pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.follow_up(
                actor=request.user, evaluation_id=evaluation.pk, **form.cleaned_data
            )
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Follow-up conclusion saved."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    return _form_page(request, evaluation, form, _("Follow-up check"), "evaluations:follow_up")


@officer_required
def overdue(request):
    return render(
        request,
        "evaluations/overdue.html",
        {
            "rows": list(
                selectors.self_reports_overdue(request.user).order_by("self_report_deadline")
            )
        },
    )


@officer_required
def priority(request):
    return render(
        request,
        "evaluations/priority.html",
        {"rows": list(selectors.priority_support(request.user))},
    )
