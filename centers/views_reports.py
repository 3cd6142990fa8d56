"""Annual reports: the center's staff write and submit, the organizing department reviews,
departments and the province see what is overdue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.feedback import flash_errors
from accounts.list_views import list_page
from accounts.permissions import require_role
from accounts.roles import ADMINISTRATOR, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER

from . import lists, selectors_center, views_center
from .forms_center import DecisionForm, ReportForm, ReportYearForm
from .models_reports import FIGURE_NAMES, REPORT_FIGURES
from .services import profile as profile_services
from .services import reports as services
from .services.common import CentersError
from .views_common import private_file_response


def _keeper_or_403(user, center):
    if not profile_services.can_keep(user, center):
        raise PermissionDenied(
            _("Only the staff of the center's lead organization can fill in the annual report.")
        )


@login_required
@require_POST
def report_create(request, pk):
    center = selectors_center.center_for(request.user, pk)
    _keeper_or_403(request.user, center)
    form = ReportYearForm(request.POST, years=services.allowed_years(center))
    if not form.is_valid():  # the center's page again, with the error summary
        return views_center.center_page(request, center, year_form=form)
    try:
        report = services.create_report(
            actor=request.user, center_id=center.pk, year=form.cleaned_data["year"]
        )
    except CentersError as exc:
        flash_errors(request, exc)
        return redirect("centers:center_detail", pk=center.pk)
    return redirect("centers:report_edit", pk=report.pk)


def _targets(report):
    """The plan's three-year targets by standard key (shown next to the figures)."""
    return {t.get("key"): t for t in report.center.targets or [] if isinstance(t, dict)}


def _figures(report, form=None):
    targets = _targets(report)
    rows = []
    for name, label, unit, _kind, target_key in REPORT_FIGURES:
        target = targets.get(target_key) if target_key else None
        rows.append(
            {
                "name": name,
                "label": label,
                "unit": unit,
                "value": getattr(report, name),
                "field": form[name] if form is not None else None,
                "baseline": target.get("baseline") if target else None,
                "target": target.get("target") if target else None,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = selectors_center.report_for(request.user, pk)
    _keeper_or_403(request.user, report.center)
    if not report.is_editable:
        return redirect("centers:report_detail", pk=report.pk)
    initial = {name: getattr(report, name) for name in ("summary", *FIGURE_NAMES)}
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("summary", *FIGURE_NAMES)}
            upload = form.cleaned_data.get("files")
            try:
                changed = services.save_report(
                    actor=request.user,
                    report_id=report.pk,
                    data=data,
                    uploads=[upload] if upload else [],
                )
                if "submit" in request.POST:
                    services.submit_report(actor=request.user, report_id=report.pk)
                    messages.success(
                        request,
                        _("Annual report submitted; the organizing department will review it."),
                    )
                    return redirect("centers:report_detail", pk=report.pk)
            except CentersError as exc:
                flash_errors(request, exc)
                report.refresh_from_db()  # what was typed stays in the bound form
            else:
                messages.success(
                    request, _("The draft is saved.") if changed else _("Nothing changed.")
                )
                return redirect("centers:report_edit", pk=report.pk)
        else:
            messages.error(request, _("Correct the errors marked; everything else is kept."))
    else:
        form = ReportForm(initial=initial)
    return render(
        request,
        "centers/center/report_form.html",
        {
            "report": report,
            "center": report.center,
            "form": form,
            "figures": _figures(report, form),
            "files": list(report.files.all()),
        },
    )


@login_required
def report_detail(request, pk):
    return _detail(request, selectors_center.report_for(request.user, pk))


def _detail(request, report, refused=None):
    """The report; ``refused`` is the reviewer's bound decision form with its errors."""
    reviewer = services.can_review(request.user, report.center)
    decision_form = None
    if reviewer and report.status == "submitted":
        decision_form = refused or DecisionForm()
    return render(
        request,
        "centers/center/report_detail.html",
        {
            "report": report,
            "center": report.center,
            "figures": _figures(report),
            "files": list(report.files.all()),
            "keeper": profile_services.can_keep(request.user, report.center),
            "reviewer": reviewer,
            "decision_form": decision_form,
        },
        status=400 if refused is not None else 200,
    )


@login_required
@require_POST
def report_decide(request, pk):
    report = selectors_center.report_for(request.user, pk)
    if not services.can_review(request.user, report.center):
        raise PermissionDenied(
            _(
                "Only the reviewers of the center's organizing department can review its annual report."
            )
        )
    form = DecisionForm(request.POST)
    if not form.is_valid():  # the page again, with the error summary and what was typed
        return _detail(request, report, refused=form)
    try:
        services.decide_report(
            actor=request.user,
            report_id=report.pk,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except CentersError as exc:
        flash_errors(request, exc)
        if form.cleaned_data["reason"].strip():  # what the reviewer typed is not lost
            messages.info(
                request,
                _("The opinion you wrote (not saved): %(text)s")
                % {"text": form.cleaned_data["reason"].strip()},
            )
    else:
        messages.success(request, _("Review conclusion saved."))
    return redirect("centers:report_detail", pk=report.pk)


@login_required
def report_file(request, pk, file_pk):
    report = selectors_center.report_for(request.user, pk)
    item = report.files.filter(pk=file_pk).first()
    if item is None:
        raise Http404("No such file.")
    return private_file_response(item.file, item.name)


@require_role(DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, ADMINISTRATOR)
def overdue_list(request):
    """The submitted reports (filtered, paged, exported; by default those waiting for review)
    and the overdue ones."""
    today = timezone.localdate()
    return list_page(
        request,
        lists.REPORTS,
        "centers/center/reports.html",
        extra={"rows": selectors_center.overdue(request.user, today=today), "today": today},
    )
