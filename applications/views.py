"""Applicant-side views: home, plan sections, attachments, submit, withdraw, versions.

Every view that takes an id fetches through ``applications.selectors.get_application_for``
(404 when the plan is not the user's to see); editing also needs ``services.can_edit``.
Views are thin: the writes are ``applications.services`` functions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import APPLICANT

from . import eligibility, sections, services, versions
from .forms import AttachmentForm, BasicsForm, ReasonForm, SectionForms
from .models import ApplicationVersion, Attachment, Status
from .queries import home_rows, next_step, versions_of
from .selectors import get_application_for


def _editable_or_403(request, pk):
    app = get_application_for(user=request.user, pk=pk)
    if not services.can_edit(app, request.user):
        raise PermissionDenied(f"当前状态为「{app.get_status_display()}」，您不能修改该建设方案。")
    return app


@login_required
def home(request):
    apps = list(home_rows(user=request.user))
    for app in apps:
        app.next_step = next_step(app)
    org = request.user.organization
    from accounts.inbox import per_user
    from accounts.services.invitations import is_first_user

    # who registered the organization never changes: cached like the task badge
    first = per_user(
        request.user, f"first_user:{org and org.pk}", lambda: is_first_user(request.user)
    )
    return render(
        request,
        "applications/home.html",
        {
            "applications": apps,
            "organization": org,
            "can_create": request.user.has_role(APPLICANT) and org is not None,
            "can_invite": first and org is not None and org.is_verified,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    user = request.user
    if not user.has_role(APPLICANT) or user.organization_id is None:
        raise PermissionDenied(_("Only users of an applicant organization can create a plan."))
    form = BasicsForm(request.POST or None, organization=user.organization)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        app = services.application_create(
            actor=user,
            name=d["name"],
            kind=d["kind"],
            industry_field=d.get("industry_field"),
            strategic_areas=d.get("strategic_areas") or [],
            department=d["department"],
        )
        messages.success(request, _("The draft plan is created; fill in each section."))
        return redirect("applications:detail", app.pk)
    return render(request, "applications/create.html", {"form": form})


@login_required
def detail(request, pk):
    app = get_application_for(user=request.user, pk=pk)
    editable = services.can_edit(app, request.user)
    is_member = request.user.organization_id == app.organization_id
    return render(
        request,
        "applications/detail.html",
        {
            "app": app,
            "next_step": next_step(app),
            "editable": editable,
            "progress": eligibility.section_status(app) if editable else None,
            "versions": list(versions_of(app)),
            "attachments": list(versions.active_attachments(app).select_related("uploaded_by")),
            "can_withdraw": is_member
            and app.status in [s.value for s in _withdrawable()]
            and request.user.has_perm("applications.change_application", app),
            "can_submit": editable,
            "display": [
                sections.display(s, app.plan or {}, app.kind) for s in sections.PLAN_SECTIONS
            ],
        },
    )


def _withdrawable():
    from .models import BEFORE_MEETING

    return BEFORE_MEETING


def _section_nav(app, code):
    codes = [s.code for s in sections.SECTIONS]
    i = codes.index(code)
    return {
        "prev": codes[i - 1] if i > 0 else None,
        "next": codes[i + 1] if i + 1 < len(codes) else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, code):
    if code not in sections.BY_CODE:
        raise Http404("No such section.")
    app = _editable_or_403(request, pk)
    section = sections.get(code)
    if code == "basics":
        return _basics(request, app)
    if code == "attachments":
        return _attachments(request, app)
    add = request.GET.get("add")
    bundle = SectionForms(section, app, request.POST or None, add=add)
    if request.method == "POST":
        if bundle.is_valid():
            try:
                services.application_save_section(
                    actor=request.user,
                    application_id=app.pk,
                    section=code,
                    data=bundle.cleaned_section(),
                )
            except services.TransitionError as exc:
                messages.error(request, "；".join(exc.messages))
                return redirect("applications:detail", app.pk)
            return _after_save(request, app, code)
        messages.error(
            request,
            _(
                "Some entries do not have the required form; correct them as shown (nothing you entered is lost)."
            ),
        )
    return render(
        request,
        "applications/section.html",
        {
            "app": app,
            "section": section,
            "bundle": bundle,
            "nav": _section_nav(app, code),
            "sections": sections.SECTIONS,
        },
    )


def _after_save(request, app, code):
    if "add_row" in request.POST:
        url = reverse("applications:section", args=[app.pk, code])
        return redirect(f"{url}?add={request.POST['add_row']}")
    messages.success(request, _("Draft saved."))
    nxt = _section_nav(app, code)["next"]
    if "save_next" in request.POST and nxt:
        return redirect("applications:section", app.pk, nxt)
    return redirect("applications:section", app.pk, code)


def _basics(request, app):
    form = BasicsForm(request.POST or None, instance=app, organization=app.organization)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.application_update_basics(
                actor=request.user,
                application_id=app.pk,
                name=d["name"],
                kind=d["kind"],
                industry_field=d.get("industry_field"),
                strategic_areas=d.get("strategic_areas") or [],
                department=d["department"],
            )
        except services.TransitionError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            return _after_save(request, app, "basics")
    return render(
        request,
        "applications/section_basics.html",
        {
            "app": app,
            "section": sections.BASICS,
            "form": form,
            "nav": _section_nav(app, "basics"),
            "sections": sections.SECTIONS,
        },
    )


def _attachments(request, app):
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                application_id=app.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                name=form.safe_name,
                content_type=form.content_type,
            )
        except services.TransitionError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已上传：{form.safe_name}")
            return redirect("applications:section", app.pk, "attachments")
    present = list(versions.active_attachments(app).select_related("uploaded_by"))
    kinds = {a.kind for a in present}
    required = [
        (eligibility.ATTACHMENT_LABELS[k], k in kinds) for k in eligibility.REQUIRED_ATTACHMENTS
    ]
    return render(
        request,
        "applications/section_attachments.html",
        {
            "app": app,
            "section": sections.ATTACHMENTS,
            "form": form,
            "attachments": present,
            "required": required,
            "labels": eligibility.ATTACHMENT_LABELS,
            "nav": _section_nav(app, "attachments"),
            "sections": sections.SECTIONS,
        },
    )


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    app = _editable_or_403(request, pk)
    if not Attachment.objects.filter(application=app, pk=attachment_id).exists():
        raise Http404("No such attachment.")
    try:
        services.attachment_remove(
            actor=request.user, application_id=app.pk, attachment_id=attachment_id
        )
    except services.TransitionError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("The attachment is removed from the draft (submitted versions keep the file)."),
        )
    return redirect("applications:section", app.pk, "attachments")


@login_required
def attachment_download(request, pk, attachment_id):
    app = get_application_for(user=request.user, pk=pk)
    attachment = Attachment.objects.filter(application=app, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk):
    app = get_application_for(user=request.user, pk=pk)
    if not services.can_edit(app, request.user):
        raise PermissionDenied(_("You cannot submit this plan."))
    problems = eligibility.problems(app) if app.status != Status.IMPROVING else []
    error_messages = []
    if request.method == "POST":
        try:
            services.application_submit(
                actor=request.user,
                application_id=app.pk,
                expected_status=request.POST.get("expected_status") or app.status,
            )
        except services.TransitionError as exc:
            error_messages = exc.messages
            app.refresh_from_db()
            problems = eligibility.problems(app) if app.status != Status.IMPROVING else []
        else:
            messages.success(request, _("The plan is submitted."))
            return redirect("applications:detail", app.pk)
    return render(
        request,
        "applications/submit.html",
        {"app": app, "problems": problems, "error_messages": error_messages},
        status=400 if error_messages else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    app = get_application_for(user=request.user, pk=pk)
    if not (
        request.user.organization_id == app.organization_id
        and request.user.has_perm("applications.change_application", app)
        and request.user.has_role(APPLICANT)
    ):
        raise PermissionDenied(_("You cannot withdraw this plan."))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application_id=app.pk, reason=form.cleaned_data["reason"]
            )
        except services.TransitionError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("The plan is withdrawn; the application's record is kept."))
            return redirect("applications:detail", app.pk)
    return render(request, "applications/withdraw.html", {"app": app, "form": form})


@login_required
def version_detail(request, pk, number):
    app = get_application_for(user=request.user, pk=pk)
    version = ApplicationVersion.objects.filter(application=app, number=number).first()
    if version is None:
        raise Http404("No such version.")
    return render(
        request,
        "applications/version.html",
        {
            "app": app,
            "version": version,
            "display": versions.display_version(version),
            "labels": eligibility.ATTACHMENT_LABELS,
            "all_versions": list(versions_of(app)),
        },
    )


@login_required
def compare(request, pk):
    app = get_application_for(user=request.user, pk=pk)
    all_versions = list(versions_of(app))
    by_number = {v.number: v for v in all_versions}
    try:
        a = by_number[int(request.GET.get("a", ""))]
        b = by_number[int(request.GET.get("b", ""))]
    except (KeyError, ValueError):
        if len(all_versions) >= 2:
            a, b = all_versions[-2], all_versions[-1]
        else:
            raise Http404("Two versions are needed to compare.") from None
    return render(
        request,
        "applications/compare.html",
        {"app": app, "a": a, "b": b, "diff": versions.compare(a, b), "all_versions": all_versions},
    )
