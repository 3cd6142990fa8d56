"""Commissioning (委托): the province assigns a third-party institution to one or many
evaluations at once, with deadlines. The institution's group gets ``view_evaluation`` and
``score_evaluation`` on each assigned evaluation (django-guardian), nothing else; an
institution that is the center's lead organization or a co-builder is refused."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from guardian.shortcuts import assign_perm

from accounts.models import Organization
from audit.services import record
from centers.models_profile import CoBuilder
from documents.languages import punct
from evaluations.models import Evaluation, EvaluationStatus
from evaluations.services import self_reports
from evaluations.services.common import (
    EvaluationError,
    center_staff,
    evaluator_users,
    lock,
    notify_later,
    require_officer,
    require_state,
)
from reviews.draw import Party

INSTITUTION_PERMS = ("evaluations.view_evaluation", "evaluations.score_evaluation")
LEAD, COBUILDER = "牵头单位", "共建单位"  # the roles of reviews.draw.Party


def parties(center) -> list[Party]:
    """The lead organization and the co-builders of a center (for conflict checks)."""
    org = center.lead_organization
    found = [Party(LEAD, org.name, org.credit_code)]
    for row in CoBuilder.objects.filter(center=center).values("name", "credit_code"):
        found.append(Party(COBUILDER, row["name"], row["credit_code"]))
    for item in center.cobuilders or []:  # the plan's list, for centers without rows
        if isinstance(item, dict) and item.get("name"):
            found.append(Party(COBUILDER, item.get("name", ""), item.get("credit_code", "")))
    return found


def conflicts(institution: Organization, center) -> list[str]:
    found = []
    for p in parties(center):
        if p.matches(institution.name, institution.credit_code):
            message = (
                _("the institution is the center's lead organization “%(name)s”")
                if p.role == LEAD
                else _("the institution is a co-builder of the center, “%(name)s”")
            )
            found.append(message % {"name": p.name or p.credit_code})
    return found


def institutions():
    return Organization.objects.filter(
        org_type=Organization.Type.THIRD_PARTY_EVALUATOR, status=Organization.Status.VERIFIED
    ).order_by("name")


def commission(
    *,
    actor,
    evaluation_ids,
    institution_id: int,
    self_report_deadline: dt.date,
    evaluation_deadline: dt.date,
    today: dt.date | None = None,
) -> list[Evaluation]:
    """Commission ``institution_id`` for every evaluation in ``evaluation_ids``: all or none."""
    require_officer(actor)
    today = today or timezone.localdate()
    ids = sorted({int(i) for i in evaluation_ids})
    if not ids:
        raise EvaluationError(_("Choose at least one evaluation."))
    problems = []
    if self_report_deadline is None or self_report_deadline <= today:
        problems.append(_("The self-report deadline must be after today."))
    if evaluation_deadline is None or (
        self_report_deadline and evaluation_deadline <= self_report_deadline
    ):
        problems.append(_("The evaluation report deadline must be after the self-report deadline."))
    institution = institutions().filter(pk=institution_id).first()
    if institution is None:
        problems.append(_("Choose a verified third-party evaluation institution."))
    if problems:
        raise EvaluationError(problems)
    done = []
    with transaction.atomic():
        locked = []
        for pk in ids:  # in pk order: two officers never deadlock
            evaluation = lock(pk)
            require_state(
                evaluation, EvaluationStatus.OPENED, doing=pgettext("cannot …", "commission")
            )
            found = conflicts(institution, evaluation.center)
            if found:
                problems.append(
                    _("%(center)s: %(conflicts)s; it must stand aside.")
                    % {"center": evaluation.center.name, "conflicts": punct("；").join(found)}
                )
            locked.append(evaluation)
        if problems:
            raise EvaluationError(problems)
        for evaluation in locked:
            before = evaluation.status
            evaluation.commission()
            evaluation.institution = institution
            evaluation.commissioned_at = timezone.now()
            evaluation.self_report_deadline = self_report_deadline
            evaluation.evaluation_deadline = evaluation_deadline
            evaluation.save()
            for perm in INSTITUTION_PERMS:
                assign_perm(perm, institution.group, evaluation)
            self_reports.prefill(evaluation)
            record(
                actor=actor,
                action="evaluations.commissioned",
                target=evaluation,
                from_state=before,
                to_state=evaluation.status,
                data={
                    "label": f"委托{institution.name}开展评估",
                    "institution": institution.name,
                    "self_report_deadline": self_report_deadline.isoformat(),
                    "evaluation_deadline": evaluation_deadline.isoformat(),
                },
            )
            notify_later(
                center_staff(evaluation.center),
                "请提交三年绩效评估自评报告",
                f"截止日期：{self_report_deadline:%Y-%m-%d}。",
                reverse("evaluations:detail", args=[evaluation.pk]),
            )
            done.append(evaluation)
        notify_later(
            evaluator_users(institution.pk),
            f"省科技厅委托贵机构评估{len(done)}个技术创新中心",
            f"评估报告截止日期：{evaluation_deadline:%Y-%m-%d}。",
            reverse("evaluations:assigned"),
        )
    return done


def default_deadlines(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    first = today + dt.timedelta(days=int(getattr(settings, "EVALUATIONS_SELF_REPORT_DAYS", 60)))
    return first, first + dt.timedelta(days=int(getattr(settings, "EVALUATIONS_REVIEW_DAYS", 60)))
