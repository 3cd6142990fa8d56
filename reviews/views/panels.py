"""Views of panels: inbox, forming by draw, detail, replacements, chair, result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import flash_errors, form_errors
from accounts.list_views import list_page
from applications.selectors import get_application_for
from reviews import lists, rules, selectors
from reviews.forms import ChairForm, MarginForm, PanelForm, ReasonForm
from reviews.models import ExpertProfile, Panel, PanelMember
from reviews.services import members as members_services
from reviews.services import panels as panels_services
from reviews.services.common import ReviewError
from reviews.views.common import PAGE_SIZE, first_url, officer_only


@login_required
@officer_only
def panel_inbox(request):
    return list_page(request, lists.PANELS, "reviews/panel_inbox.html", page_size=PAGE_SIZE)


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def panel_new(request, app_pk):
    app = get_application_for(user=request.user, pk=app_pk)
    if Panel.objects.filter(application=app).exists():
        return redirect("reviews:panel_detail", app.panel.pk)
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            panel = panels_services.panel_form(
                actor=request.user,
                application_id=app.pk,
                size=data["size"],
                n_technical=data["n_technical"],
                n_management=data["n_management"],
                n_financial=data["n_financial"],
                score_deadline=data["score_deadline"],
                template_id=data["template"].pk,
                avoid_request=data["avoid_request"],
                deviation_margin=data["deviation_margin"],
            )
        except ReviewError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "专家组已随机抽取，邀请已发送给入选专家。")
            return redirect("reviews:panel_detail", panel.pk)
    return render(request, "reviews/panel_new.html", {"app": app, "form": form})


def compare_with_scored_url(panel) -> str:
    """The applicant side's compare view: the version the panel scored against the latest one."""
    latest = panel.application.versions.order_by("-number").values_list("number", flat=True).first()
    if not panel.version_number or not latest or latest == panel.version_number:
        return ""
    base = first_url(["applications:compare"], panel.application_id)
    return f"{base}?a={panel.version_number}&b={latest}" if base else ""


def _panel_context(request, panel, refused_member=None, **extra):
    """The panel page; ``refused_member`` carries its bound replacement form with errors."""
    members = selectors.panel_members(panel)
    for m in members:
        if refused_member is not None and m.pk == refused_member[0]:
            m.reason_form = refused_member[1]
        else:
            initial = {"reason": m.removed_reason} if not m.is_active else {}
            m.reason_form = ReasonForm(initial=initial, auto_id=f"id_m{m.pk}_%s")
    return {
        "panel": panel,
        "app": panel.application,
        "members": members,
        "draws": selectors.draws_of(panel),
        "visits": selectors.visits_of(panel),
        "points": selectors.points_of(panel),
        "chair_form": extra.pop("chair_form", None) or ChairForm(panel=panel),
        "can_conclude_pass": panel.status == Panel.Status.OPEN
        and rules.panel_can_pass(panel.application),
        "can_conclude_fail": panel.status == Panel.Status.OPEN and panel.opinion_written,
        "compare_url": compare_with_scored_url(panel),
        **extra,
    }


@login_required
@officer_only
def panel_detail(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    return render(request, "reviews/panel_detail.html", _panel_context(request, panel))


@login_required
@officer_only
@require_POST
def panel_replace(request, pk, member_pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    member = get_object_or_404(PanelMember, pk=member_pk, panel=panel)
    form = ReasonForm(request.POST, auto_id=f"id_m{member.pk}_%s")
    if not form.is_valid():  # the page again: the row's form with its error and the summary
        context = _panel_context(request, panel, refused_member=(member.pk, form))
        return render(request, "reviews/panel_detail.html", context, status=400)
    try:
        new = members_services.member_replace(
            actor=request.user, member_id=member.pk, reason=form.cleaned_data["reason"]
        )
    except ReviewError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已随机补选专家{new.expert.user}，邀请已发送。")
    return redirect("reviews:panel_detail", panel.pk)


@login_required
@officer_only
@require_POST
def panel_chair(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    form = ChairForm(request.POST, panel=panel)
    if not form.is_valid():  # the page again, with the error summary
        context = _panel_context(request, panel, chair_form=form)
        return render(request, "reviews/panel_detail.html", context, status=400)
    try:
        members_services.panel_set_chair(
            actor=request.user, panel_id=panel.pk, member_id=form.cleaned_data["member"].pk
        )
    except ReviewError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "已指定专家组组长。")
    return redirect("reviews:panel_detail", panel.pk)


@login_required
@officer_only
def panel_draw(request, pk, draw_pk):
    record_draw = selectors.draw_for_officer(user=request.user, panel_pk=pk, pk=draw_pk)
    ids = {pk for ids in record_draw.candidates.values() for pk in ids}
    ids |= {e["expert"] for e in record_draw.exclusions}
    experts = ExpertProfile.objects.select_related("user").in_bulk(list(ids))
    candidates = [
        {
            "kind": kind,
            "label": ExpertProfile.Kind(kind).label,
            "wanted": record_draw.wanted.get(kind, 0),
            "experts": [
                {"expert": experts.get(i), "picked": i in record_draw.picked.get(kind, [])}
                for i in ids_
            ],
        }
        for kind, ids_ in record_draw.candidates.items()
    ]
    return render(
        request,
        "reviews/panel_draw.html",
        {
            "panel": record_draw.panel,
            "draw": record_draw,
            "candidates": candidates,
            "reproduced": panels_services.reproduce_draw(record_draw),
        },
    )


@login_required
@officer_only
def panel_result(request, pk):
    """The result at the panel's margin or the one asked for; a margin that is not a number
    from 0 to 100 is the page again (400) at the panel's margin, with the error summary."""
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    form = MarginForm(request.GET) if request.GET.get("margin") else None
    margin = form.cleaned_data["margin"] if form is not None and form.is_valid() else None
    result = selectors.panel_result(panel, margin=margin)
    if form is None:
        form = MarginForm(initial={"margin": result.margin})
    status = 400 if form.errors else 200
    return render(
        request,
        "reviews/panel_result.html",
        {"panel": panel, "result": result, "form": form},
        status=status,
    )
