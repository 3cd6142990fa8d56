"""Views of the panel opinion: conclusion, the opinion PDF, the applicant's answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import flash_errors, form_errors
from accounts.permissions import require_role
from accounts.roles import APPLICANT
from applications.selectors import get_application_for
from applications.services import TransitionError
from reviews import selectors
from reviews.forms import ConcludeForm, ImprovementForm, OpinionForm
from reviews.models import Panel, PanelMember
from reviews.opinion_pdf import render_opinion_pdf
from reviews.services import opinion as opinion_services
from reviews.services import opinion_documents
from reviews.services.common import ReviewError
from reviews.views.common import expert_only, first_url, officer_only
from reviews.views.panels import compare_with_scored_url


@login_required
@officer_only
@require_POST
def panel_conclude(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    form = ConcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择论证结论。")
        return redirect("reviews:panel_detail", panel.pk)
    try:
        opinion_services.panel_conclude(
            actor=request.user, panel_id=panel.pk, outcome=form.cleaned_data["outcome"]
        )
    except (ReviewError, TransitionError) as exc:
        flash_errors(request, exc)
    else:
        if form.cleaned_data["outcome"] == "pass":
            messages.success(request, "专家论证通过，已通知申报单位根据专家组意见完善建设方案。")
        else:
            messages.success(request, "专家论证未通过，已将专家组意见作为理由通知申报单位。")
    return redirect("reviews:panel_detail", panel.pk)


def _may_read_opinion(user, panel) -> bool:
    if selectors.is_officer(user):
        return True
    if PanelMember.objects.filter(
        panel=panel, expert__user=user, status=PanelMember.Status.ACCEPTED
    ).exists():
        return True
    return panel.status == Panel.Status.CONCLUDED and user.has_perm(
        "applications.change_application", panel.application
    )


def _reads_panel_names(user, panel) -> bool:
    """Officers and the panel's own experts read names; the applicant never does (DESIGN §2.2)."""
    if user is None:
        return True  # a document rendered by the system for the file
    return (
        selectors.is_officer(user)
        or PanelMember.objects.filter(
            panel=panel, expert__user=user, status=PanelMember.Status.ACCEPTED
        ).exists()
    )


@login_required
def opinion_pdf(request, pk):
    """A concluded panel's issued opinion (stored, verifiable; issued now if the task has not
    run yet), or before the conclusion a draft rendered on demand."""
    panel = get_object_or_404(Panel.objects.select_related("application", "template"), pk=pk)
    if not _may_read_opinion(request.user, panel):
        raise Http404("No such panel.")
    confidential = not _reads_panel_names(request.user, panel)
    name = f"expert-opinion-{panel.application.number or panel.application_id}.pdf"
    if panel.status == Panel.Status.CONCLUDED:
        documents = opinion_documents.opinion_documents(panel)
        if len(documents) < 2:
            documents = opinion_documents.issue_opinion_documents(actor=None, panel_id=panel.pk)
        document = documents[
            opinion_documents.APPLICANT if confidential else opinion_documents.FULL
        ]
        with document.file.open("rb") as handle:
            pdf = handle.read()
    else:
        pdf = render_opinion_pdf(panel, request=request, confidential=confidential)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@expert_only
@require_http_methods(["GET", "POST"])
def member_opinion(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    if not member.is_chair or member.status != PanelMember.Status.ACCEPTED:
        raise PermissionDenied("只有专家组组长可以撰写专家组意见。")
    panel = member.panel
    points = selectors.points_of(panel)
    form = OpinionForm(
        request.POST or None,
        initial={"summary": panel.opinion_summary, "points": "\n".join(p.text for p in points)},
    )
    if request.method == "POST" and form.is_valid():
        sign = request.POST.get("action") == "sign"
        try:
            opinion_services.opinion_save(
                actor=request.user,
                member_id=member.pk,
                summary=form.cleaned_data["summary"],
                points=form.point_list(),
                sign=sign,
            )
        except ReviewError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "专家组意见已签署。" if sign else "专家组意见草稿已保存。")
            return redirect("reviews:member_opinion", member.pk)
    result = selectors.panel_result(panel) if selectors.peer_sheets_visible(member) else None
    return render(
        request,
        "reviews/member_opinion.html",
        {"member": member, "panel": panel, "form": form, "points": points, "result": result},
    )


@login_required
@require_role(APPLICANT)
@require_http_methods(["GET", "POST"])
def improve(request, app_pk):
    app = get_application_for(user=request.user, pk=app_pk, perm="applications.change_application")
    panel = Panel.objects.filter(application=app, outcome=Panel.Outcome.PASS).first()
    if panel is None:
        raise Http404("No panel opinion to answer.")
    points = selectors.points_of(panel)
    editable = app.status == app.Status.IMPROVING
    form = ImprovementForm(request.POST or None, points=points)
    if request.method == "POST" and editable and form.is_valid():
        try:
            opinion_services.improvement_save(
                actor=request.user,
                application_id=app.pk,
                answers=form.answers(),
                submit=form.submitting,
            )
        except (ReviewError, TransitionError) as exc:
            form_errors(form, exc)
        else:
            if form.submitting:
                messages.success(request, "完善后的建设方案已提交，等待厅会议审议。")
            else:
                messages.success(request, "回应已保存。")
            return redirect("reviews:improve", app.pk)
    compare_url = compare_with_scored_url(panel)
    return render(
        request,
        "reviews/improve.html",
        {
            "app": app,
            "panel": panel,
            "form": form,
            "editable": editable,
            "compare_url": compare_url,
            "edit_url": first_url(
                ["applications:detail", "applications:application_detail", "applications:edit"],
                app.pk,
            ),
        },
    )
