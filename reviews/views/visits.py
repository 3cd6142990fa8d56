"""Views of site inspections and defenses and their files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import flash_errors, form_errors
from reviews import selectors
from reviews.forms import VisitForm, VisitNoteForm
from reviews.models import PanelMember, Visit, VisitFile
from reviews.services import visits as visits_services
from reviews.services.common import ReviewError
from reviews.views.common import expert_only, officer_only
from reviews.views.members import _member_context


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            visits_services.visit_record(actor=request.user, panel_id=panel.pk, **form.cleaned_data)
        except ReviewError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "记录已保存，专家可补充意见。")
            return redirect("reviews:panel_detail", panel.pk)
    return render(request, "reviews/visit_form.html", {"panel": panel, "form": form})


@login_required
def visit_file(request, pk):
    item = get_object_or_404(VisitFile.objects.select_related("visit__panel"), pk=pk)
    panel = item.visit.panel
    allowed = (
        selectors.is_officer(request.user)
        or PanelMember.objects.filter(
            panel=panel, expert__user=request.user, status=PanelMember.Status.ACCEPTED
        ).exists()
    )
    if not allowed:
        raise Http404("No such file.")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@expert_only
@require_POST
def member_visit_note(request, pk, visit_pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    get_object_or_404(Visit, pk=visit_pk, panel_id=member.panel_id)
    form = VisitNoteForm(request.POST, auto_id=f"id_v{visit_pk}_%s")
    if not form.is_valid():  # the page again: the visit's form with its error and the summary
        context = _member_context(request, member, refused_note=(visit_pk, form))
        return render(request, "reviews/member_detail.html", context, status=400)
    try:
        visits_services.visit_note_save(
            actor=request.user,
            member_id=member.pk,
            visit_id=visit_pk,
            text=form.cleaned_data["text"],
        )
    except ReviewError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "意见已保存。")
    return redirect("reviews:member_detail", member.pk)
