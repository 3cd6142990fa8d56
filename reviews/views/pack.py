"""The panel pack download: the officer (by panel) and each accepted expert (by seat)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from reviews import pack, selectors
from reviews.services.common import ReviewError
from reviews.views.common import expert_only, officer_only


def _serve(request, panel, back_url: str):
    try:
        built = pack.existing_pack(panel)
        if built is None and pack.attachments_size(panel) <= pack.sync_limit():
            built = pack.build_pack(panel_id=panel.pk)
    except ReviewError as exc:
        raise Http404(str(exc)) from exc
    if built is None:  # large: the worker builds it, the page asks to come back
        pack.queue_pack(panel.pk)
        return render(
            request, "reviews/pack_pending.html", {"panel": panel, "back_url": back_url}, status=202
        )
    response = FileResponse(
        built.file.open("rb"),
        as_attachment=True,
        filename=pack.pack_name(panel, built.version_number),
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@officer_only
@require_GET
def panel_pack(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    return _serve(request, panel, reverse("reviews:panel_detail", args=[panel.pk]))


@login_required
@expert_only
@require_GET
def member_pack(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    selectors.plan_for_member(user=request.user, member=member)  # accepted seats only
    return _serve(request, member.panel, reverse("reviews:member_detail", args=[member.pk]))
