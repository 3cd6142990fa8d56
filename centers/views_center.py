"""My center (我的中心): the center's page and its profile, for the lead organization's
staff; the organizing department and the province read the same page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.list_views import list_page
from accounts.roles import DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles

from . import lists, sections, selectors, selectors_center
from .forms_center import MemberFormSet, ProfileForm, ReportYearForm, ServiceFormSet
from .models_profile import CoBuilder, GovernanceBody, GovernanceMember, PublicService
from .services import profile as profile_services
from .services import reports as report_services


@login_required
def center_list(request):
    """The designated centers an officer (all) or a department reviewer (its own) sees."""
    if not ({PROVINCIAL_OFFICER, DEPARTMENT_REVIEWER} & user_roles(request.user)):
        raise PermissionDenied(
            _(
                "Only staff of the provincial department and the organizing departments can see the list of centers."
            )
        )
    return list_page(request, lists.CENTERS, "centers/center/office_list.html")


@login_required
def my_centers(request):
    centers = list(selectors_center.kept_centers(request.user))
    if len(centers) == 1:
        return redirect("centers:center_detail", pk=centers[0].pk)
    if not centers and not selectors_center.visible_centers(request.user).exists():
        raise PermissionDenied(
            _("Your organization leads no provincial technology innovation center.")
        )
    if not centers:
        centers = list(selectors_center.visible_centers(request.user).order_by("number"))
    return render(request, "centers/center/list.html", {"centers": centers})


def _context(request, center, year_form=None):
    profile = profile_services.ensure_profile(center)
    reports = list(center.annual_reports.order_by("-year"))
    notices = selectors.designation_notices(center)
    downloadable = selectors.downloadable_document_ids(user=request.user, documents=notices)
    for doc in notices:
        doc.can_download = doc.pk in downloadable
    members = list(GovernanceMember.objects.filter(center=center).order_by("body", "order", "pk"))
    bodies = [
        (label, [m for m in members if m.body == code]) for code, label in GovernanceBody.choices
    ]
    keeper = profile_services.can_keep(request.user, center)
    next_due = selectors_center.next_due(center, reports)
    return {
        "center": center,
        "profile": profile,
        "bodies": bodies,
        "cobuilders": list(CoBuilder.objects.filter(center=center)),
        "services": list(PublicService.objects.filter(center=center)),
        "institutions": ((center.profile or {}).get("lead") or {}).get("rd_institutions") or [],
        "reports": reports,
        "next_due": next_due,
        "notices": notices,
        "keeper": keeper,
        # sections of apps above centers (the three-year evaluation's history)
        "sections": sections.render_for(request, center),
        "year_form": (year_form or _year_form(center, reports, next_due)) if keeper else None,
    }


def _year_form(center, reports, next_due):
    """The years a report can still be started on (none: no form), the next due chosen."""
    started = {r.year for r in reports}
    years = [y for y in report_services.allowed_years(center) if y not in started]
    if not years:
        return None
    return ReportYearForm(years=years, initial={"year": next_due["year"]})


@login_required
def center_detail(request, pk):
    center = selectors_center.center_for(request.user, pk)
    return center_page(request, center)


def center_page(request, center, year_form=None):
    """The center's page; ``year_form`` is a refused start-a-report form (status 400)."""
    return render(
        request,
        "centers/center/detail.html",
        _context(request, center, year_form),
        status=400 if year_form is not None else 200,
    )


def _rows(formset):
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk):
    center = selectors_center.center_for(request.user, pk)
    if not profile_services.can_keep(request.user, center):
        raise PermissionDenied(
            _("Only the staff of the center's lead organization can keep the center's profile.")
        )
    profile = profile_services.ensure_profile(center)
    members = [
        {"body": m.body, "name": m.name, "position": m.position, "affiliation": m.affiliation}
        for m in GovernanceMember.objects.filter(center=center).order_by("order", "pk")
    ]
    services = [
        {"name": s.name, "description": s.description}
        for s in PublicService.objects.filter(center=center)
    ]
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        member_set = MemberFormSet(request.POST, prefix="members", initial=members)
        service_set = ServiceFormSet(request.POST, prefix="services", initial=services)
        if form.is_valid() and member_set.is_valid() and service_set.is_valid():
            changed = profile_services.update_profile(
                actor=request.user,
                center_id=center.pk,
                data=form.cleaned_data,
                members=_rows(member_set),
                services=_rows(service_set),
            )
            if changed:
                messages.success(request, _("Center profile saved."))
            else:
                messages.info(request, _("Nothing changed; no new record saved."))
            return redirect("centers:center_detail", pk=center.pk)
        messages.error(request, _("Correct the errors marked; everything else is kept."))
    else:
        profile.refresh_from_db()
        form = ProfileForm(instance=profile)
        member_set = MemberFormSet(prefix="members", initial=members)
        service_set = ServiceFormSet(prefix="services", initial=services)
    return render(
        request,
        "centers/center/profile_form.html",
        {
            "center": center,
            "form": form,
            "member_set": member_set,
            "service_set": service_set,
            "cobuilders": list(CoBuilder.objects.filter(center=center)),
        },
    )
