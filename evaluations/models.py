"""The three-year performance evaluation of a designated center (Art. 14, DESIGN §2.5).

The state graphs are declared here (django-fsm); every transition runs through
``evaluations.services.*`` (select_for_update, audit event, notifications on commit).

Evaluation: opened → commissioned → self_report → evaluating → proposed → decided
(a center that does not submit its self-report can be revoked from commissioned).
Rectification: required → reported → followed_up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from evaluations.models_indicators import *  # noqa: F401,F403  (templates, dimensions, indicators)
from evaluations.models_indicators import Grade, Indicator, IndicatorTemplate


def evaluation_file_path(instance, filename):
    """MEDIA_ROOT/private/evaluations/...; never served by URL (views check access)."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"private/evaluations/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class EvaluationStatus(models.TextChoices):
    OPENED = "opened", "已启动，待委托"
    COMMISSIONED = "commissioned", "已委托，待中心自评"
    SELF_REPORT = "self_report", "自评报告已提交"
    EVALUATING = "evaluating", "评估中"
    PROPOSED = "proposed", "评估机构已提出等次，待决定"
    DECIDED = "decided", "已决定"


class Outcome(models.TextChoices):
    RETAIN = "retain", "保留"
    RECTIFY = "rectify", "整改"
    REVOKE = "revoke", "撤销"


class RevocationReason(models.TextChoices):
    FAILED = "failed", "评估不合格"
    FAILED_FOLLOW_UP = "failed_follow_up", "整改后复核仍不合格"
    NON_SUBMISSION = "non_submission", "无正当理由未按期提交评估材料"
    FALSE_DATA = "false_data", "评估材料弄虚作假"


OPEN_STATUSES = [s for s in EvaluationStatus.values if s != EvaluationStatus.DECIDED]


class Evaluation(models.Model):
    Status = EvaluationStatus

    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="evaluations"
    )
    cycle = models.PositiveSmallIntegerField("评估周期")
    period_start = models.DateField("周期起始日")
    due_on = models.DateField("评估到期日")
    years = models.JSONField("覆盖年度", default=list)
    template = models.ForeignKey(
        IndicatorTemplate, verbose_name="指标体系", on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPENED,
        db_index=True,
        protected=False,
    )
    opened_at = models.DateTimeField("启动时间", auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # commissioning
    institution = models.ForeignKey(
        "accounts.Organization",
        verbose_name="第三方评估机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    commissioned_at = models.DateTimeField("委托时间", null=True, blank=True)
    self_report_deadline = models.DateField("自评报告截止日", null=True, blank=True)
    evaluation_deadline = models.DateField("评估报告截止日", null=True, blank=True)
    # the evaluator's result
    total_score = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_grade = models.CharField("建议等次", max_length=20, choices=Grade.choices, blank=True)
    findings = models.TextField("评估意见", blank=True)
    report_file = models.FileField(
        "正式评估报告", upload_to=evaluation_file_path, max_length=200, blank=True
    )
    report_name = models.CharField("报告文件名", max_length=200, blank=True)
    proposed_at = models.DateTimeField("提出等次时间", null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # the province's decision
    grade = models.CharField("评估等次", max_length=20, choices=Grade.choices, blank=True)
    outcome = models.CharField("处理决定", max_length=20, choices=Outcome.choices, blank=True)
    revocation_reason = models.CharField(
        "撤销原因", max_length=30, choices=RevocationReason.choices, blank=True
    )
    decision_note = models.TextField("决定说明", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    priority_support = models.BooleanField("优先支持、推荐申报国家技术创新中心", default=False)
    revocation_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name="撤销通知",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = "三年绩效评估"
        verbose_name_plural = "三年绩效评估"
        constraints = [
            models.UniqueConstraint(fields=["center", "cycle"], name="eval_one_per_center_cycle"),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(outcome=""), name="eval_decided_has_outcome"
            ),
        ]
        permissions = [("score_evaluation", "评估机构评分")]

    def __str__(self):
        return f"{self.center}第{self.cycle}周期绩效评估"

    @property
    def years_label(self) -> str:
        years = self.years or []
        return f"{years[0]}—{years[-1]}年" if years else ""

    @property
    def is_open(self) -> bool:
        return self.status != EvaluationStatus.DECIDED

    @transition(field=status, source=EvaluationStatus.OPENED, target=EvaluationStatus.COMMISSIONED)
    def commission(self):
        pass

    @transition(
        field=status, source=EvaluationStatus.COMMISSIONED, target=EvaluationStatus.SELF_REPORT
    )
    def receive_self_report(self):
        pass

    @transition(
        field=status, source=EvaluationStatus.SELF_REPORT, target=EvaluationStatus.EVALUATING
    )
    def start_evaluating(self):
        pass

    @transition(field=status, source=EvaluationStatus.EVALUATING, target=EvaluationStatus.PROPOSED)
    def propose(self):
        pass

    @transition(field=status, source=EvaluationStatus.PROPOSED, target=EvaluationStatus.DECIDED)
    def decide(self):
        pass

    @transition(
        field=status,
        source=[EvaluationStatus.OPENED, EvaluationStatus.COMMISSIONED],
        target=EvaluationStatus.DECIDED,
    )
    def revoke_for_non_submission(self):
        pass


class SelfReport(models.Model):
    """The center's self-report: values pre-filled from its annual reports, editable with a
    reason, a self-assessment text and files. A draft until submitted."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="self_report"
    )
    self_assessment = models.TextField("自评报告", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "自评报告"
        verbose_name_plural = "自评报告"

    def __str__(self):
        return f"{self.evaluation}自评报告"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class SelfReportValue(models.Model):
    """One figure of the self-report: the three years' total from the annual reports, the
    plan's target, and the value the center stands by (a change needs a reason)."""

    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="values")
    key = models.CharField("数据项", max_length=40)
    label = models.CharField("名称", max_length=50)
    unit = models.CharField("单位", max_length=20, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    prefilled = models.DecimalField(
        "年度报告合计", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField("三年目标", max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField("自评值", max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.CharField("修改理由", max_length=300, blank=True)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = "自评数据"
        verbose_name_plural = "自评数据"
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="eval_one_value_per_key"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="eval_value_not_negative"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def changed(self) -> bool:
        return self.value != self.prefilled


class EvaluationFile(models.Model):
    """A file of the self-report, the credit check or the rectification report; private."""

    class Part(models.TextChoices):
        SELF_REPORT = "self_report", "自评材料"
        CREDIT = "credit", "信用核查证明"
        RECTIFICATION = "rectification", "整改报告附件"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="files")
    part = models.CharField("类别", max_length=20, choices=Part.choices)
    file = models.FileField("文件", upload_to=evaluation_file_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "part", "pk"]
        verbose_name = "评估附件"
        verbose_name_plural = "评估附件"

    def __str__(self):
        return self.name


class CreditCheck(models.Model):
    """The lead organization's research-integrity and social-credit check, recorded by the
    province before evaluating; a failed check is shown on every later step."""

    class Result(models.TextChoices):
        PASSED = "passed", "未发现科研失信和严重失信记录"
        FAILED = "failed", "存在科研失信或严重失信记录"

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="credit_check"
    )
    result = models.CharField("核查结果", max_length=20, choices=Result.choices)
    source = models.CharField("核查渠道", max_length=200)
    checked_on = models.DateField("核查日期")
    note = models.TextField("核查说明", blank=True)
    evidence = models.ForeignKey(
        EvaluationFile, verbose_name="证明文件", on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用核查"
        verbose_name_plural = "信用核查"

    def __str__(self):
        return f"{self.evaluation} {self.get_result_display()}"

    @property
    def failed(self) -> bool:
        return self.result == self.Result.FAILED


class IndicatorScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    computed = models.BooleanField("按规则计算", default=False)
    attainment = models.DecimalField(
        "完成率", max_digits=8, decimal_places=4, null=True, blank=True
    )
    note = models.CharField("评分说明", max_length=300, blank=True)

    class Meta:
        ordering = ["evaluation", "indicator__dimension__order", "indicator__order"]
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="eval_one_score_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="eval_score_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.score}"


class ExpertHearing(models.Model):
    """An optional expert hearing (专家评议) the institution holds; conflicted experts are
    excluded as in the panel draw (reviews.draw.conflict_reasons)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="hearing")
    held_on = models.DateField("评议日期")
    summary = models.TextField("评议意见")
    experts = models.ManyToManyField(
        "reviews.ExpertProfile", verbose_name="评议专家", related_name="+"
    )
    excluded = models.JSONField("回避的专家", default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家评议"
        verbose_name_plural = "专家评议"

    def __str__(self):
        return f"{self.evaluation}专家评议"


class RectificationStatus(models.TextChoices):
    REQUIRED = "required", "整改中，待提交整改报告"
    REPORTED = "reported", "整改报告已提交，待复核"
    FOLLOWED_UP = "followed_up", "已复核"


class Rectification(models.Model):
    Status = RectificationStatus

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="rectification"
    )
    requirements = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    status = FSMField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.REQUIRED,
        db_index=True,
        protected=False,
    )
    report = models.TextField("整改报告", blank=True)
    reported_at = models.DateTimeField("提交时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    follow_up_outcome = models.CharField(
        "复核结论",
        max_length=20,
        choices=[(Outcome.RETAIN, "保留"), (Outcome.REVOKE, "撤销")],
        blank=True,
    )
    follow_up_note = models.TextField("复核意见", blank=True)
    followed_up_at = models.DateTimeField("复核时间", null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = "整改"
        verbose_name_plural = "整改"

    def __str__(self):
        return f"{self.evaluation.center}整改"

    @transition(
        field=status, source=RectificationStatus.REQUIRED, target=RectificationStatus.REPORTED
    )
    def submit_report(self):
        pass

    @transition(
        field=status, source=RectificationStatus.REPORTED, target=RectificationStatus.FOLLOWED_UP
    )
    def follow_up(self):
        pass


class SelfReportReminder(models.Model):
    """One reminder of a self-report past its deadline: the constraint refuses a second."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="overdue_reminder"
    )
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "自评逾期提醒"
        verbose_name_plural = "自评逾期提醒"

    def __str__(self):
        return str(self.evaluation_id)


# Object permissions on evaluations with direct foreign keys: the commissioned institution's
# group holds view_evaluation + score_evaluation on its assigned evaluations only.
class EvaluationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Evaluation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class EvaluationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Evaluation, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
