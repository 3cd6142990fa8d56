"""Views of the expert review. Thin: reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require_role
from accounts.roles import APPLICANT, EXPERT, PROVINCIAL_OFFICER
from applications.selectors import get_application_for
from applications.services import TransitionError
from documents.csv_export import csv_writer
from reviews.services.common import ReviewError

from . import imports, rules, selectors
from .forms import (
    ChairForm,
    ConcludeForm,
    ConflictForm,
    ExpertFilterForm,
    ExpertForm,
    ExpertImportForm,
    ImprovementForm,
    OpinionForm,
    PanelForm,
    ReasonForm,
    RespondForm,
    ScoreForm,
    VisitForm,
    VisitNoteForm,
)
from .models import Criterion, ExpertProfile, Panel, PanelMember, VisitFile
from .services import members as members_services
from .services import opinion, panels, pool, scoring, visits

PAGE_SIZE = 30

officer_only = require_role(PROVINCIAL_OFFICER)
expert_only = require_role(EXPERT)


def _errors(form, exc) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _flash(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _first_url(names, *args) -> str:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


# --- expert pool (officers) ------------------------------------------------------------


@login_required
@officer_only
def expert_list(request):
    form = ExpertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.experts_filtered(
        kind=filters.get("kind", ""),
        active=filters.get("active", ""),
        field_id=filters["field"].pk if filters.get("field") else None,
        q=filters.get("q", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/expert_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk=None):
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk) if pk else None
    form = ExpertForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            pool.expert_save(
                actor=request.user,
                profile_id=profile.pk if profile else None,
                **form.service_kwargs(),
            )
        except ReviewError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "专家信息已保存。")
            return redirect("reviews:expert_list")
    return render(request, "reviews/expert_form.html", {"form": form, "profile": profile})


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def expert_import(request):
    form = ExpertImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = imports.import_experts(actor=request.user, upload=form.cleaned_data["file"])
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
    return render(
        request,
        "reviews/expert_import.html",
        {"form": form, "report": report, "headers": imports.TEMPLATE_HEADERS},
    )


@login_required
@officer_only
def expert_import_template(request):
    out = io.StringIO()
    writer = csv_writer(out)  # the shared writer: no cell is read as a formula
    writer.writerow(imports.TEMPLATE_HEADERS)
    writer.writerow(
        [
            "expert_zhang",
            "张明",
            "技术",
            "F01；F04",
            "半导体材料",
            "山西某大学",
            "",
            "教授",
            "13800000000",
            "zhang@example.com",
            "在库",
            "某某公司|",
        ]
    )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="expert-import-template.csv"'
    return response


# --- panels (officers) -------------------------------------------------------------------


@login_required
@officer_only
def panel_inbox(request):
    apps = list(selectors.applications_for_panels(user=request.user))
    return render(request, "reviews/panel_inbox.html", {"apps": apps})


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
            panel = panels.panel_form(
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
            _errors(form, exc)
        else:
            messages.success(request, "专家组已随机抽取，邀请已发送给入选专家。")
            return redirect("reviews:panel_detail", panel.pk)
    return render(request, "reviews/panel_new.html", {"app": app, "form": form})


def compare_with_scored_url(panel) -> str:
    """The applicant side's compare view: the version the panel scored against the latest one."""
    latest = panel.application.versions.order_by("-number").values_list("number", flat=True).first()
    if not panel.version_number or not latest or latest == panel.version_number:
        return ""
    base = _first_url(["applications:compare"], panel.application_id)
    return f"{base}?a={panel.version_number}&b={latest}" if base else ""


def _panel_context(request, panel, **extra):
    members = selectors.panel_members(panel)
    return {
        "panel": panel,
        "app": panel.application,
        "members": members,
        "draws": selectors.draws_of(panel),
        "visits": selectors.visits_of(panel),
        "points": selectors.points_of(panel),
        "chair_form": ChairForm(panel=panel),
        "reason_form": ReasonForm(),
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
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            new = members_services.member_replace(
                actor=request.user, member_id=member.pk, reason=form.cleaned_data["reason"]
            )
        except ReviewError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已随机补选专家{new.expert.user}，邀请已发送。")
    else:
        messages.error(request, "请填写更换专家的理由。")
    return redirect("reviews:panel_detail", panel.pk)


@login_required
@officer_only
@require_POST
def panel_chair(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    form = ChairForm(request.POST, panel=panel)
    if form.is_valid():
        try:
            members_services.panel_set_chair(
                actor=request.user, panel_id=panel.pk, member_id=form.cleaned_data["member"].pk
            )
        except ReviewError as exc:
            _flash(request, exc)
        else:
            messages.success(request, "已指定专家组组长。")
    else:
        messages.error(request, "请选择专家组现有成员作为组长。")
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
            "reproduced": panels.reproduce_draw(record_draw),
        },
    )


@login_required
@officer_only
def panel_result(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    margin = None
    if request.GET.get("margin"):
        try:
            margin = Decimal(request.GET["margin"])
        except InvalidOperation:
            messages.error(request, "偏差阈值应为数字。")
    result = selectors.panel_result(panel, margin=margin)
    return render(request, "reviews/panel_result.html", {"panel": panel, "result": result})


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def visit_new(request, pk):
    panel = selectors.panel_for_officer(user=request.user, pk=pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            visits.visit_record(actor=request.user, panel_id=panel.pk, **form.cleaned_data)
        except ReviewError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "记录已保存，专家可补充意见。")
            return redirect("reviews:panel_detail", panel.pk)
    return render(request, "reviews/visit_form.html", {"panel": panel, "form": form})


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
        opinion.panel_conclude(
            actor=request.user, panel_id=panel.pk, outcome=form.cleaned_data["outcome"]
        )
    except (ReviewError, TransitionError) as exc:
        _flash(request, exc)
    else:
        if form.cleaned_data["outcome"] == "pass":
            messages.success(request, "专家论证通过，已通知申报单位根据专家组意见完善建设方案。")
        else:
            messages.success(request, "专家论证未通过，已将专家组意见作为理由通知申报单位。")
    return redirect("reviews:panel_detail", panel.pk)


# --- the panel opinion PDF ----------------------------------------------------------------


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


def fonts_template() -> str | None:
    try:
        return select_template(["documents/_fonts.html"]).template.name
    except Exception:
        return None


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


def opinion_pdf_context(panel, *, confidential: bool = False) -> dict:
    members = [m for m in selectors.panel_members(panel) if m.status in PanelMember.ACTIVE]
    composition = [
        (label, n)
        for value, label in PanelMember._meta.get_field("kind").choices
        if (n := sum(1 for m in members if m.kind == value))
    ]
    return {
        "panel": panel,
        "confidential": confidential,
        "app": panel.application,
        "version": selectors.scored_version(panel),
        "members": members,
        "composition": composition,
        "result": selectors.panel_result(panel),
        "points": selectors.points_of(panel),
        "fonts_template": fonts_template(),
    }


def render_opinion_pdf(panel, *, request=None, confidential: bool = False) -> bytes:
    """The panel opinion as a PDF document of record, always in Chinese.

    ``confidential``: the applicant's copy, without the experts' names and scores.
    """
    from django.utils import translation

    from documents.pdf import render_pdf

    with translation.override("zh-hans"):
        return render_pdf(
            "reviews/opinion_pdf.html",
            opinion_pdf_context(panel, confidential=confidential),
            request=request,
        )


@login_required
def opinion_pdf(request, pk):
    panel = get_object_or_404(Panel.objects.select_related("application", "template"), pk=pk)
    if not _may_read_opinion(request.user, panel):
        raise Http404("No such panel.")
    pdf = render_opinion_pdf(
        panel, request=request, confidential=not _reads_panel_names(request.user, panel)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"expert-opinion-{panel.application.number or panel.application_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


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


# --- experts --------------------------------------------------------------------------------


@login_required
@expert_only
def my_panels(request):
    seats = list(selectors.memberships_for(user=request.user))
    return render(request, "reviews/my_panels.html", {"seats": seats})


def _member_context(request, member, **extra):
    panel = member.panel
    sheet = getattr(member, "sheet", None)
    return {
        "member": member,
        "panel": panel,
        "app": panel.application,
        "sheet": sheet,
        "visits": selectors.visits_of(panel)
        if member.status == PanelMember.Status.ACCEPTED
        else [],
        "respond_form": RespondForm(),
        "conflict_form": extra.pop("conflict_form", ConflictForm()),
        "note_form": VisitNoteForm(),
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
            _flash(request, exc)
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
            _errors(form, exc)
        else:
            if form.cleaned_data["conflict"]:
                messages.success(request, "您已声明存在利益冲突并退出专家组，省科技厅将补选专家。")
                return redirect("reviews:my_panels")
            messages.success(request, "您已声明无利益冲突，现在可以评分。")
            return redirect("reviews:member_score", member.pk)
    return render(
        request, "reviews/member_detail.html", _member_context(request, member, conflict_form=form)
    )


@login_required
@expert_only
def member_plan(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    app = selectors.plan_for_member(user=request.user, member=member)
    version = selectors.scored_version(member.panel)
    from .plan_display import plan_sections

    data = version.data if version is not None else panels.version_data(app)[1]
    attachments = []
    for item in (version.attachments if version is not None else []) or []:
        attachments.append(
            {
                **item,
                "url": _first_url(["applications:attachment_download"], app.pk, item.get("id"))
                or _first_url(["applications:attachment_download"], item.get("id")),
            }
        )
    return render(
        request,
        "reviews/member_plan.html",
        {
            "member": member,
            "app": app,
            "version": version,
            "sections": plan_sections(data),
            "attachments": attachments,
        },
    )


@login_required
@expert_only
@require_http_methods(["GET", "POST"])
def member_score(request, pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    if not member.may_score:
        messages.error(request, "请先接受邀请并作出利益冲突声明，再进行评分。")
        return redirect("reviews:member_detail", member.pk)
    criteria = list(Criterion.objects.filter(template_id=member.panel.template_id))
    sheet = getattr(member, "sheet", None)
    locked = bool(sheet and sheet.is_submitted)
    form = ScoreForm(request.POST or None, criteria=criteria, sheet=sheet)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            scoring.score_save(
                actor=request.user,
                member_id=member.pk,
                scores=form.scores(),
                opinion=form.cleaned_data["opinion"],
                recommendation=form.cleaned_data["recommendation"],
                submit=form.submitting,
            )
        except ReviewError as exc:
            _errors(form, exc)
        else:
            if form.submitting:
                messages.success(request, "评分已提交，不能再修改。")
                return redirect("reviews:member_detail", member.pk)
            messages.success(request, "评分草稿已保存。")
            return redirect("reviews:member_score", member.pk)
    elif request.method == "POST" and locked:
        messages.error(request, "评分已提交，不能再修改。")
    if locked:
        for field in form.fields.values():
            field.disabled = True
    total = None
    if locked:
        total = sum((s.points for s in sheet.scores.all()), Decimal(0))
    return render(
        request,
        "reviews/member_score.html",
        {
            "member": member,
            "app": member.panel.application,
            "form": form,
            "locked": locked,
            "sheet": sheet,
            "total": total,
        },
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
            opinion.opinion_save(
                actor=request.user,
                member_id=member.pk,
                summary=form.cleaned_data["summary"],
                points=form.point_list(),
                sign=sign,
            )
        except ReviewError as exc:
            _errors(form, exc)
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
@expert_only
@require_POST
def member_visit_note(request, pk, visit_pk):
    member = selectors.member_for_expert(user=request.user, pk=pk)
    form = VisitNoteForm(request.POST)
    if form.is_valid():
        try:
            visits.visit_note_save(
                actor=request.user,
                member_id=member.pk,
                visit_id=visit_pk,
                text=form.cleaned_data["text"],
            )
        except ReviewError as exc:
            _flash(request, exc)
        else:
            messages.success(request, "意见已保存。")
    else:
        messages.error(request, "请填写考察或答辩意见。")
    return redirect("reviews:member_detail", member.pk)


# --- the applicant improves the plan ----------------------------------------------------------


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
            opinion.improvement_save(
                actor=request.user,
                application_id=app.pk,
                answers=form.answers(),
                submit=form.submitting,
            )
        except (ReviewError, TransitionError) as exc:
            _errors(form, exc)
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
            "edit_url": _first_url(
                ["applications:detail", "applications:application_detail", "applications:edit"],
                app.pk,
            ),
        },
    )
