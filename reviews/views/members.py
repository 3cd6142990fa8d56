"""Views of an expert's own panels: invitations, conflicts, the plan, peers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.feedback import flash_errors, form_errors
from reviews import selectors
from reviews.forms import ConflictForm, RespondForm, VisitNoteForm
from reviews.models import PanelMember
from reviews.services import members as members_services
from reviews.services import panels as panels_services
from reviews.services.common import ReviewError
from reviews.views.common import expert_only, first_url


@login_required
@expert_only
def my_panels(request):
    seats = list(selectors.memberships_for(user=request.user))
    return render(request, "reviews/my_panels.html", {"seats": seats})


def _member_context(request, member, refused_note=None, **extra):
    """The seat's page; ``refused_note`` is (visit id, bound note form) after a refused note."""
    panel = member.panel
    sheet = getattr(member, "sheet", None)
    visits = selectors.visits_of(panel) if member.status == PanelMember.Status.ACCEPTED else []
    for v in visits:  # one note form per visit, with ids of its own
        if refused_note is not None and refused_note[0] == v.pk:
            v.note_form = refused_note[1]
        else:
            v.note_form = VisitNoteForm(auto_id=f"id_v{v.pk}_%s")
    return {
        "member": member,
        "panel": panel,
        "app": panel.application,
        "sheet": sheet,
        "visits": visits,
        "respond_form": RespondForm(initial={"decision": "decline"}, auto_id="id_decline_%s"),
        "conflict_form": extra.pop("conflict_form", ConflictForm()),
        "points": selectors.points_of(panel),
        **extra,
    }


@login_required
@expert_only
def member_detail(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    return render(request, "reviews/member_detail.html", _member_context(request, member))


@login_required
@expert_only
@require_POST
def member_respond(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            members_services.member_respond(
                actor=request.user,
                member_id=member.pk,
                accept=accept,
                note=form.cleaned_data["note"],
            )
        except ReviewError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request, "您已接受邀请，请先作出利益冲突声明。" if accept else "您已谢绝邀请。"
            )
    return redirect("reviews:member_detail", member.pk)


@login_required
@expert_only
@require_POST
def member_declare(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            members_services.member_declare(
                actor=request.user,
                member_id=member.pk,
                conflict=form.cleaned_data["conflict"],
                note=form.cleaned_data["note"],
            )
        except ReviewError as exc:
            form_errors(form, exc)
        else:
            if form.cleaned_data["conflict"]:
                messages.success(request, "您已声明存在利益冲突并退出专家组，省科技厅将补选专家。")
                return redirect("reviews:my_panels")
            messages.success(request, "您已声明无利益冲突，现在可以评分。")
            return redirect("reviews:member_score", member.pk)
    return render(
        request, "reviews/member_detail.html", _member_context(request, member, conflict_form=form)
    )


def plan_context(request, member) -> dict:
    """The plan version under review as the expert reads it (the plan page, the score form)."""
    from reviews.plan_display import plan_sections

    app = selectors.plan_for_member(user=request.user, member=member)
    version = selectors.scored_version(member.panel)
    data = version.data if version is not None else panels_services.version_data(app)[1]
    attachments = [
        {
            **item,
            "url": first_url(["applications:attachment_download"], app.pk, item.get("id"))
            or first_url(["applications:attachment_download"], item.get("id")),
        }
        for item in (version.attachments if version is not None else []) or []
    ]
    return {
        "app": app,
        "version": version,
        "sections": plan_sections(data),
        "attachments": attachments,
    }


@login_required
@expert_only
def member_plan(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    return render(
        request, "reviews/member_plan.html", {"member": member, **plan_context(request, member)}
    )


@login_required
@expert_only
def member_peers(request, pk):
    """Other experts' scores and opinions: only after the expert submitted their own."""
    member = selectors.member_for_expert(user=request.user, pk=pk)
    if not selectors.peer_sheets_visible(member):
        raise PermissionDenied("提交本人评分后才能查看其他专家的评分和意见。")
    result = selectors.panel_result(member.panel)
    return render(
        request,
        "reviews/member_peers.html",
        {"member": member, "panel": member.panel, "result": result},
    )
