"""The round through the services: commission, self-report, credit check, scoring, the
decision (retain / rectify / revoke), the rectification and its follow-up, consequences."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from centers.models import Center
from documents.models import IssuedDocument
from evaluations import selectors
from evaluations.models import Evaluation, IndicatorScore, Rectification
from evaluations.services import commissioning, consequences, decisions, scoring, self_reports
from evaluations.services.common import EvaluationError
from notifications.models import Message
from tests.evaluations.factories import institution
from tests.evaluations.helpers import World

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world(frozen_clock):
    return World()


def test_self_report_is_prefilled_from_the_cycles_annual_reports_and_the_plan(world):
    world.open()
    world.commission()
    values = {v.key: v for v in world.evaluation.self_report.values.all()}
    # flows add up over the three years, stocks take the last year
    assert values["invention_patents"].prefilled == Decimal("36")
    assert values["rd_staff"].prefilled == Decimal("90")
    assert values["invention_patents"].target == Decimal("40")
    assert values["rd_spending_wan"].target == Decimal("6000")


def test_a_changed_value_needs_a_reason_and_what_is_unchanged_saves_nothing(world):
    world.open()
    world.commission()
    args = {"actor": world.staff, "evaluation_id": world.evaluation.pk, "self_assessment": ""}
    with pytest.raises(EvaluationError, match="请填写修改理由"):
        self_reports.save_self_report(**args, values={"invention_patents": (40, "")})
    assert self_reports.save_self_report(**args, values={"invention_patents": (36, "")}) is False
    assert self_reports.save_self_report(
        **args, values={"invention_patents": (40, "2023年另有4件授权漏报")}
    )
    row = world.evaluation.self_report.values.get(key="invention_patents")
    assert (row.value, row.prefilled, row.reason) == (
        Decimal("40"),
        Decimal("36"),
        "2023年另有4件授权漏报",
    )
    with pytest.raises(EvaluationError, match="自评报告正文"):
        self_reports.submit_self_report(actor=world.staff, evaluation_id=world.evaluation.pk)


def test_the_whole_round_rectify_then_retain(world, django_capture_on_commit_callbacks):
    world.open()
    world.commission()
    assert world.evaluation.status == "commissioned"
    world.self_report()
    assert world.evaluation.status == "self_report"
    world.credit(result="failed")
    assert world.evaluation.status == "evaluating"
    assert world.evaluation.credit_check.failed
    world.score(manual=Decimal("2"))
    ev = world.evaluation
    assert ev.status == "proposed"
    rows = scoring.rows(ev)
    # attainment of the plan's targets, capped at the indicator's points
    patents = next(r for r in rows if r.indicator.source_key == "invention_patents")
    assert patents.attainment == Decimal("0.9000") and patents.computed == Decimal("8.10")
    staff = next(r for r in rows if r.indicator.source_key == "rd_staff")
    assert staff.computed == Decimal("8.10")  # 90 of 100 researchers, 9 points
    assert ev.total_score == scoring.total(rows)
    assert ev.proposed_grade == ev.template.grade_for(ev.total_score)
    # submitted scores lock
    with pytest.raises(EvaluationError, match="评分提交后即锁定"):
        scoring.save_scores(actor=world.evaluator, evaluation_id=ev.pk, scores={}, findings="改")
    deadline = dt.date(2027, 11, 16)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.decide(
            actor=world.officer,
            evaluation_id=ev.pk,
            outcome="rectify",
            grade="fail",
            note="" if ev.proposed_grade == "fail" else "信用核查未通过，等次调整",
            requirements="补齐研发投入，完善理事会运行。",
            deadline=deadline,
        )
    world.center.refresh_from_db()
    assert world.center.status == "rectifying"
    item = Rectification.objects.get(evaluation=ev)
    assert (item.status, item.deadline) == ("required", deadline)
    assert Message.objects.filter(recipient=world.staff, subject__contains="整改").exists()
    with pytest.raises(EvaluationError, match="请刷新页面"):  # pressed twice
        decisions.decide(actor=world.officer, evaluation_id=ev.pk, outcome="retain", grade="good")
    decisions.submit_rectification(actor=world.staff, evaluation_id=ev.pk, report="已完成整改。")
    with pytest.raises(EvaluationError, match="请勿重复提交"):
        decisions.submit_rectification(actor=world.staff, evaluation_id=ev.pk, report="再交")
    decisions.follow_up(actor=world.officer, evaluation_id=ev.pk, outcome="retain")
    world.center.refresh_from_db()
    item.refresh_from_db()
    assert world.center.status == "active" and item.status == "followed_up"
    history = list(selectors.history(world.center))
    assert [(e.grade, e.outcome) for e in history] == [("fail", "rectify")]
    actions = set(
        AuditEvent.objects.filter(action__startswith="evaluations.").values_list(
            "action", flat=True
        )
    )
    assert {
        "evaluations.opened",
        "evaluations.commissioned",
        "evaluations.self_report_submitted",
        "evaluations.credit_checked",
        "evaluations.evaluating",
        "evaluations.proposed",
        "evaluations.decided_rectify",
        "evaluations.rectification_reported",
        "evaluations.followed_up_retain",
    } <= actions


def _pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_revocation_sets_the_center_revoked_and_issues_the_notice(
    world, client, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        world.to_proposed(manual=Decimal("0"))
        with django_capture_on_commit_callbacks(execute=True):
            decisions.decide(
                actor=world.officer,
                evaluation_id=world.evaluation.pk,
                outcome="revoke",
                grade="fail",
                note="研发投入和产出严重未达建设方案目标"
                if world.evaluation.proposed_grade == "fail"
                else "等次调整：研发投入和产出严重未达建设方案目标",
                revocation_reason="failed",
            )
    finally:
        app.conf.task_always_eager = False
    center = Center.objects.get(pk=world.center.pk)
    assert center.status == "revoked" and center.revoked_on == dt.date(2026, 11, 16)
    assert "评估不合格" in center.revocation_reason
    ev = Evaluation.objects.get(pk=world.evaluation.pk)
    document = ev.revocation_document
    assert document.kind == "revocation_notice" and document.number
    text = _pdf_text(document)
    assert center.name in "".join(text.split())
    assert "研发投入和产出严重未达建设方案目标" in "".join(text.split())
    # issued once
    assert consequences.issue_revocation_notice(evaluation_id=ev.pk) == document
    assert IssuedDocument.objects.filter(kind="revocation_notice").count() == 1
    # the public registry shows it with date and reason
    page = client.get(f"/centers/registry/{center.number}/").content.decode()
    assert "2026年11月16日撤销" in page and "研发投入和产出严重未达建设方案目标" in page


def test_conflicted_institution_is_refused_and_nothing_changes(world):
    world.open()
    lead = world.center.lead_organization
    with pytest.raises(EvaluationError, match="牵头单位"):
        commissioning.commission(
            actor=world.officer,
            evaluation_ids=[world.evaluation.pk],
            institution_id=_as_institution(lead).pk,
            self_report_deadline=dt.date(2026, 12, 30),
            evaluation_deadline=dt.date(2027, 2, 1),
        )
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == "opened"


def _as_institution(org):
    org.org_type = "third_party_evaluator"
    org.save()
    return org


def test_commissioning_many_at_once_grants_only_that_institution(frozen_clock):
    a, b = World(), World()
    a.open()
    b.open()
    other, other_user = institution(name="另一家评估机构")
    commissioning.commission(
        actor=a.officer,
        evaluation_ids=[a.evaluation.pk, b.evaluation.pk],
        institution_id=a.institution.pk,
        self_report_deadline=dt.date(2026, 12, 30),
        evaluation_deadline=dt.date(2027, 2, 1),
    )
    assert set(selectors.assigned(a.evaluator)) == {a.refresh(), b.refresh()}
    assert list(selectors.assigned(other_user)) == []
    assert list(selectors.visible(other_user)) == []
    with pytest.raises(PermissionDenied):
        scoring.save_scores(actor=other_user, evaluation_id=a.evaluation.pk, scores={}, findings="")


def test_non_submission_revocation_only_after_the_grace_period(world, frozen_clock):
    world.open()
    world.commission(today=dt.date(2026, 11, 16))  # self-report due 2026-12-16
    with pytest.raises(EvaluationError, match="30天内不能"):
        decisions.revoke_for_non_submission(
            actor=world.officer, evaluation_id=world.evaluation.pk, note="多次催告未提交"
        )
    frozen_clock.move_to(dt.datetime(2026, 12, 20, 10, 0))
    assert self_reports.send_overdue_reminders() == 1
    assert self_reports.send_overdue_reminders() == 0
    assert list(selectors.self_reports_overdue(world.officer)) == [world.refresh()]
    frozen_clock.move_to(dt.datetime(2027, 1, 20, 10, 0))
    decisions.revoke_for_non_submission(
        actor=world.officer, evaluation_id=world.evaluation.pk, note="多次催告未提交"
    )
    ev = world.refresh()
    assert (ev.status, ev.outcome, ev.revocation_reason) == ("decided", "revoke", "non_submission")
    assert Center.objects.get(pk=world.center.pk).status == "revoked"


def test_excellent_retained_is_marked_for_priority_support(world):
    world.to_proposed()
    ev = world.evaluation
    grade = ev.proposed_grade
    decisions.decide(
        actor=world.officer,
        evaluation_id=ev.pk,
        outcome="retain",
        grade="excellent",
        note="" if grade == "excellent" else "专家评议认为成绩突出",
    )
    assert list(selectors.priority_support(world.officer)) == [world.refresh()]
    assert IndicatorScore.objects.filter(evaluation=ev).count() == 12
