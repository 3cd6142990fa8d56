"""Applicant-side reads (the shared selectors live in applications.selectors)."""

from .models import ApplicationVersion, Status
from .selectors import applications_visible_to

NEXT_STEP = {
    Status.DRAFT: "请完善并提交建设方案",
    Status.RETURNED: "请根据退回意见修改后重新提交",
    Status.PROVINCE_RECHECK: "等待省科技厅复核",
    Status.EXPERT_REVIEW: "专家论证中，请等待论证结果",
    Status.IMPROVING: "请根据专家组意见完善建设方案后提交",
    Status.AWAITING_MEETING: "等待厅会议审议",
    Status.PUBLICITY: "公示中，请等待公示期结束",
    Status.DESIGNATED: "已认定为山西省技术创新中心",
    Status.REJECTED: "申报未获通过",
    Status.WITHDRAWN: "已撤回，申报记录保留",
}


def next_step(app) -> str:
    if app.status == Status.DEPT_REVIEW:
        return f"等待{app.department.name}审核"
    return NEXT_STEP.get(app.status, "")


def applications_of_applicant(*, user):
    """The plans of the user's organization (through object permissions), for the home list."""
    if not user.is_authenticated or user.organization_id is None:
        return applications_visible_to(user=user).none()
    return (
        applications_visible_to(user=user)
        .filter(organization_id=user.organization_id)
        .select_related("organization", "department", "industry_field")
        .order_by("-created_at", "-pk")
    )


def versions_of(app):
    return (
        ApplicationVersion.objects.filter(application=app)
        .select_related("created_by")
        .order_by("number")
    )


__all__ = ["applications_of_applicant", "next_step", "versions_of"]
