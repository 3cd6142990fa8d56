"""Side effects of transitions, run inside the transition's transaction.

``applications.services.application_transition`` calls ``after_transition`` after it has
saved the new state and written the audit event: freeze the submitted version, route the
plan (object permissions), and notify the people who have to act next. Notifications
create in-app messages now and queue e-mail copies on commit.
"""

from dataclasses import dataclass
from importlib import import_module

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, group_name

from . import permissions

SUBMITTING = {"submit": "submit", "resubmit": "resubmit", "submit_improved": "improved"}


# --- recipients -----------------------------------------------------------


def _active_with_role(role):
    return get_user_model().objects.filter(groups__name=group_name(role), is_active=True)


def department_reviewers(app):
    return list(_active_with_role(DEPARTMENT_REVIEWER).filter(department_id=app.department_id))


def provincial_officers(app):
    return list(_active_with_role(PROVINCIAL_OFFICER))


def organization_members(app):
    return list(_active_with_role(APPLICANT).filter(organization_id=app.organization_id))


def reviewers_if_submitted(app):
    return department_reviewers(app) if app.submitted_at else []


# --- links ----------------------------------------------------------------


def _first_url(names, app) -> str:
    for name in names:
        try:
            return reverse(name, args=[app.pk])
        except NoReverseMatch:
            continue
    return ""


def review_link(app) -> str:
    return _first_url(["applications:review_detail"], app)


def applicant_link(app) -> str:
    return _first_url(["applications:detail", "applications:application_detail"], app)


# --- what each transition tells whom ------------------------------------


@dataclass(frozen=True)
class Notice:
    recipients: object  # callable(app) -> list of users
    subject: str
    body: str
    link: object = applicant_link  # callable(app) -> url
    reason_label: str = "理由"


NOTICES = {
    "submit": Notice(
        department_reviewers,
        "新的建设方案待审核：{name}",
        "{org}提交了「{name}」建设方案，请在系统中审核。",
        review_link,
    ),
    "resubmit": Notice(
        department_reviewers,
        "退回修改的建设方案已重新提交：{name}",
        "{org}已按退回意见修改并重新提交「{name}」建设方案，请在系统中审核。",
        review_link,
    ),
    "approve": Notice(
        provincial_officers,
        "建设方案待复核：{name}",
        "{dept}已审核通过「{name}」建设方案，请在系统中复核。",
        review_link,
        "审核意见",
    ),
    "return_plan": Notice(
        organization_members,
        "建设方案被退回修改：{name}",
        "您单位的「{name}」建设方案被退回修改，请根据退回理由修改后重新提交。",
        reason_label="退回理由",
    ),
    "reject": Notice(
        organization_members,
        "建设方案不予通过：{name}",
        "您单位的「{name}」建设方案未予通过。",
    ),
    "pass_recheck": Notice(
        organization_members,
        "建设方案已通过复核：{name}",
        "您单位的「{name}」建设方案已通过省科技厅复核，进入专家论证阶段。",
        reason_label="复核意见",
    ),
    "conclude_pass": Notice(
        organization_members,
        "专家论证通过，请完善建设方案：{name}",
        "「{name}」已通过专家论证，请根据专家组意见完善建设方案后提交。",
        reason_label="说明",
    ),
    "conclude_fail": Notice(
        organization_members,
        "专家论证未通过：{name}",
        "「{name}」未通过专家论证。",
    ),
    "submit_improved": Notice(
        provincial_officers,
        "完善后的建设方案已提交：{name}",
        "{org}已根据专家组意见完善并提交「{name}」建设方案。",
        review_link,
    ),
    "start_publicity": Notice(
        organization_members,
        "建设方案进入公示：{name}",
        "「{name}」已经厅会议审议通过，现进入公示期。",
        reason_label="说明",
    ),
    "meeting_reject": Notice(
        organization_members,
        "厅会议未通过：{name}",
        "「{name}」未获厅会议审议通过。",
    ),
    "designate": Notice(
        organization_members,
        "已认定为山西省技术创新中心：{name}",
        "公示期满，「{name}」已被认定为山西省技术创新中心。",
        reason_label="说明",
    ),
    "objection_upheld": Notice(
        organization_members,
        "异议成立，不予认定：{name}",
        "公示期间的异议经核查成立，「{name}」不予认定。",
    ),
    "withdraw": Notice(
        reviewers_if_submitted,
        "申报单位已撤回建设方案：{name}",
        "{org}已撤回「{name}」建设方案，该申报保留在记录中。",
        review_link,
    ),
}


def notify_transition(app, *, transition: str, reason: str = "") -> None:
    notice = NOTICES.get(transition)
    if notice is None:
        return
    recipients = notice.recipients(app)
    if not recipients:
        return
    from notifications.services import notify

    values = {"name": app.full_name, "org": app.organization.name, "dept": app.department.name}
    body = notice.body.format(**values)
    if reason:
        body += f"\n{notice.reason_label}：{reason}"
    notify(
        recipients=recipients,
        subject=notice.subject.format(**values),
        body=body,
        link=notice.link(app),
    )


# --- versions -------------------------------------------------------------


def freeze_submitted(app, *, actor, transition: str) -> None:
    """Number and freeze the submitted version (applicant side, ``applications.versions``)."""
    try:
        versions = import_module("applications.versions")
    except ModuleNotFoundError as exc:
        if exc.name != "applications.versions":
            raise
        versions = None
    on_submitted = getattr(versions, "on_submitted", None)
    if on_submitted is not None:
        on_submitted(app, actor=actor, transition=transition)
    elif versions is not None and hasattr(versions, "freeze_version"):
        versions.freeze_version(app, actor=actor, reason=SUBMITTING[transition])
    if transition in ("submit", "resubmit") and (on_submitted is None or not app.submitted_at):
        app.submitted_at = timezone.now()
        type(app).objects.filter(pk=app.pk).update(submitted_at=app.submitted_at)
    frozen = getattr(app, "_frozen_version", None)
    if frozen is not None:  # its plan book (申报书) is rendered by the worker after commit
        from applications.plan_book import queue_version_book

        queue_version_book(frozen.pk)


def after_transition(app, *, transition: str, actor, reason: str) -> None:
    if transition in SUBMITTING:
        freeze_submitted(app, actor=actor, transition=transition)
        permissions.grant_on_submit(app)
    notify_transition(app, transition=transition, reason=reason)
