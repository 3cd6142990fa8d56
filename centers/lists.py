"""The centers app's officer and reviewer lists (accounts/listing.py): meetings, publicity
notices, objections, designated centers and change requests — filters, paging, exports."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import ReferenceChoiceField
from accounts.listing import Column, ListDef, ListFilterForm, date_field, date_range, text_search
from accounts.models import City, Department
from accounts.roles import PROVINCIAL_OFFICER, user_roles

from . import selectors, selectors_changes
from .models import (
    CenterKind,
    CenterStatus,
    IndustryField,
    Meeting,
    ObjectionStatus,
    PublicityNotice,
)
from .models_changes import ChangeKind, ChangeStatus
from .models_reports import AnnualReport, ReportStatus
from .selectors_center import visible_centers


def _officer(user) -> bool:
    return PROVINCIAL_OFFICER in user_roles(user)


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


ALL = _("All")


def _choice(label, choices, empty=ALL):
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *choices])


def _model_choice(label, queryset, empty=ALL):
    return ReferenceChoiceField(label=label, required=False, queryset=queryset, empty_label=empty)


# --------------------------------------------------------------------------- meetings


class MeetingFilterForm(ListFilterForm):
    status = _choice(_("Status"), Meeting.Status.choices)
    date_from = date_field(_("Meeting date from"))
    date_to = date_field(_("Meeting date until"))


def _meetings_apply(qs, f):
    qs = text_search(qs, f.get("q", ""), "title")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    return date_range(qs, "held_on", f).order_by("-held_on", "-pk")


MEETINGS = ListDef(
    name="meetings",
    title="主任办公会",
    form_class=MeetingFilterForm,
    base=lambda user: selectors.meetings() if _officer(user) else Meeting.objects.none(),
    apply=_meetings_apply,
    columns=(
        Column("会议日期", lambda m: m.held_on.isoformat()),
        Column("会议名称", lambda m: m.title),
        Column("议题数", lambda m: m.item_count),
        Column("状态", lambda m: m.get_status_display()),
    ),
)

# --------------------------------------------------------------------------- notices


class NoticeFilterForm(ListFilterForm):
    date_from = date_field(_("Publicity starts from"))
    date_to = date_field(_("Publicity starts until"))


def _notices_apply(qs, f):
    if f.get("q"):  # through a subquery: a join on the items would double the counts
        matching = text_search(PublicityNotice.objects.all(), f["q"], "title", "items__center_name")
        qs = qs.filter(pk__in=matching.values("pk"))
    return date_range(qs, "start_date", f).order_by("-start_date", "-pk")


NOTICES = ListDef(
    name="notices",
    title="公示管理",
    form_class=NoticeFilterForm,
    base=lambda user: (
        selectors.notices_for_officer() if _officer(user) else PublicityNotice.objects.none()
    ),
    apply=_notices_apply,
    columns=(
        Column("公示标题", lambda n: n.title),
        Column("公示开始", lambda n: n.start_date.isoformat()),
        Column("公示结束", lambda n: n.end_date.isoformat()),
        Column("方案数", lambda n: n.item_count),
        Column("未办结异议", lambda n: n.open_objections),
    ),
)

# --------------------------------------------------------------------------- objections


class ObjectionFilterForm(ListFilterForm):
    status = _choice(_("Status"), [("open", _("Open")), *ObjectionStatus.choices])
    date_from = date_field(_("Raised from"))
    date_to = date_field(_("Raised until"))


def _objections_base(user):
    if not _officer(user):
        return selectors.objections_for_officer().none()
    return selectors.objections_for_officer()


def _objections_apply(qs, f):
    qs = text_search(
        qs, f.get("q", ""), "receipt_number", "name", "organization", "item__center_name"
    )
    status = f.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=selectors.OPEN_OBJECTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return date_range(qs, "submitted_at__date", f).order_by("-submitted_at", "-pk")


OBJECTIONS = ListDef(
    name="objections",
    title="异议",
    form_class=ObjectionFilterForm,
    base=_objections_base,
    apply=_objections_apply,
    defaults=lambda user: {"status": "open"},
    columns=(
        Column("受理编号", lambda o: o.receipt_number),
        Column("异议对象", lambda o: o.item.center_name),
        Column("异议人", lambda o: o.name),
        Column("异议人类别", lambda o: o.get_objector_kind_display()),
        Column("提出时间", lambda o: _dt(o.submitted_at)),
        Column("状态", lambda o: o.get_status_display()),
    ),
)

# --------------------------------------------------------------------------- centers


class CenterFilterForm(ListFilterForm):
    status = _choice(_("Status"), CenterStatus.choices)
    kind = _choice(_("Kind"), CenterKind.choices)
    field = _model_choice(_("Industry field"), IndustryField.objects.all())
    city = _model_choice(_("City"), City.objects.all())
    department = _model_choice(
        _("Organizing department"), Department.objects.exclude(kind=Department.Kind.PROVINCE_ST)
    )
    date_from = date_field(_("Designated from"))
    date_to = date_field(_("Designated until"))


def _centers_apply(qs, f):
    qs = text_search(
        qs,
        f.get("q", ""),
        "name",
        "number",
        "lead_organization__name",
        "lead_organization__credit_code",
    )
    for key, path in (
        ("status", "status"),
        ("kind", "kind"),
        ("field", "industry_field"),
        ("city", "city"),
        ("department", "department"),
    ):
        if f.get(key):
            qs = qs.filter(**{path: f[key]})
    return date_range(qs, "designated_on", f).order_by("number", "pk")


CENTERS = ListDef(
    name="centers",
    title="已认定的创新中心",
    form_class=CenterFilterForm,
    base=lambda user: visible_centers(user).select_related("city"),
    apply=_centers_apply,
    columns=(
        Column("中心编号", lambda c: c.number),
        Column("中心名称", lambda c: c.name),
        Column("类型", lambda c: c.get_kind_display()),
        Column("产业领域", lambda c: c.industry_field.name if c.industry_field else ""),
        Column("牵头单位", lambda c: c.lead_organization.name),
        Column("统一社会信用代码", lambda c: c.lead_organization.credit_code),
        Column("所在城市", lambda c: c.city.name if c.city else ""),
        Column("组织管理部门", lambda c: c.department.name),
        Column("认定日期", lambda c: c.designated_on.isoformat()),
        Column("状态", lambda c: c.get_status_display()),
    ),
)

# --------------------------------------------------------------------------- change requests


class ChangeFilterForm(ListFilterForm):
    status = _choice(
        _("Status"), [("all", _("All")), *ChangeStatus.choices], empty=_("Waiting for me")
    )
    kind = _choice(_("Kind of change"), ChangeKind.choices)
    date_from = date_field(_("Submitted from"))
    date_to = date_field(_("Submitted until"))


def _changes_apply(qs, f):
    qs = selectors_changes.filter_status(qs, user=f.get("_user"), status=f.get("status", ""))
    qs = text_search(
        qs,
        f.get("q", ""),
        "center__name",
        "center__number",
        "center__lead_organization__name",
        "new_name",
    )
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    return date_range(qs, "submitted_at__date", f).order_by("-submitted_at", "-pk")


CHANGES = ListDef(
    name="changes",
    title="变更申请",
    form_class=ChangeFilterForm,
    base=selectors_changes.requests_visible_to,
    apply=_changes_apply,
    columns=(
        Column("中心编号", lambda r: r.center.number),
        Column("中心名称", lambda r: r.center.name),
        Column("组织管理部门", lambda r: r.center.department.name),
        Column("变更事项", lambda r: r.get_kind_display()),
        Column("变更后名称", lambda r: r.new_name),
        Column("状态", lambda r: r.get_status_display()),
        Column("提交时间", lambda r: _dt(r.submitted_at)),
    ),
)

LISTS = [MEETINGS, NOTICES, OBJECTIONS, CENTERS, CHANGES]

# --------------------------------------------------------------------------- annual reports


class ReportFilterForm(ListFilterForm):
    status = _choice(
        _("Status"), [(s.value, s.label) for s in ReportStatus if s != ReportStatus.DRAFT]
    )
    year = forms.IntegerField(
        label=_("Report year"), required=False, min_value=2000, max_value=2100
    )
    department = _model_choice(
        _("Organizing department"), Department.objects.exclude(kind=Department.Kind.PROVINCE_ST)
    )
    date_from = date_field(_("Submitted from"))
    date_to = date_field(_("Submitted until"))


def _reports_base(user):
    """Submitted reports (never a center's draft) of the centers the user sees."""
    return (
        AnnualReport.objects.exclude(status=ReportStatus.DRAFT)
        .filter(center__in=visible_centers(user).values("pk"))
        .select_related("center", "center__department", "center__lead_organization")
    )


def _reports_apply(qs, f):
    qs = text_search(
        qs, f.get("q", ""), "center__name", "center__number", "center__lead_organization__name"
    )
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("department"):
        qs = qs.filter(center__department=f["department"])
    return date_range(qs, "submitted_at__date", f).order_by("-year", "center__number", "pk")


REPORTS = ListDef(
    name="reports",
    title="年度报告",
    form_class=ReportFilterForm,
    base=_reports_base,
    apply=_reports_apply,
    defaults=lambda user: {"status": ReportStatus.SUBMITTED},
    columns=(
        Column("中心编号", lambda r: r.center.number),
        Column("中心名称", lambda r: r.center.name),
        Column("组织管理部门", lambda r: r.center.department.name),
        Column("报告年度", lambda r: r.year),
        Column("提交时间", lambda r: _dt(r.submitted_at)),
        Column("状态", lambda r: r.get_status_display()),
    ),
)

LISTS.append(REPORTS)
