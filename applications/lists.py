"""The review side's plan list (accounts/listing.py): filters, paging, exports."""

from __future__ import annotations

from django.utils import timezone

from accounts.listing import Column, ListDef

from . import selectors
from .models import Status
from .review_forms import InboxFilterForm


def default_state(user) -> str:
    """What awaits this user's decision: re-check for the province, review for departments."""
    if selectors.review_perm_for(user) == selectors.RECHECK_PERM:
        return Status.PROVINCE_RECHECK
    return Status.DEPT_REVIEW


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _apply(qs, filters: dict):
    filters = {k: v for k, v in filters.items() if k != "_user"}
    filters["sort"] = filters.get("sort") or "-submitted_at"
    return selectors.filter_inbox(qs, **filters)


PLANS = ListDef(
    name="plans",
    title="建设方案",
    form_class=InboxFilterForm,
    base=lambda user: selectors.applications_for_reviewer(user=user),
    apply=_apply,
    defaults=lambda user: {"state": default_state(user)},
    columns=(
        Column("申请编号", lambda a: a.number),
        Column("创新中心名称", lambda a: a.full_name),
        Column("牵头单位", lambda a: a.organization.name),
        Column("统一社会信用代码", lambda a: a.organization.credit_code),
        Column(
            "所在城市",
            lambda a: a.organization.registered_city.name if a.organization.registered_city else "",
        ),
        Column("类型", lambda a: a.get_kind_display()),
        Column("产业领域", lambda a: a.industry_field.name if a.industry_field else ""),
        Column("组织管理部门", lambda a: a.department.name),
        Column("提交时间", lambda a: _local(a.submitted_at)),
        Column("状态", lambda a: a.get_status_display()),
    ),
)

LISTS = [PLANS]
