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
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from centers.models_reports import REPORT_FIGURES
from documents.languages import is_chinese
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
    OPENED = "opened", _("Opened, to commission")
    COMMISSIONED = "commissioned", _("Commissioned, self-report due")
    SELF_REPORT = "self_report", _("Self-report submitted")
    EVALUATING = "evaluating", _("Being evaluated")
    PROPOSED = "proposed", _("Grade proposed by the institution, to decide")
    DECIDED = "decided", _("Decided")


class Outcome(models.TextChoices):
    RETAIN = "retain", pgettext_lazy("evaluation outcome", "Retain")
    RECTIFY = "rectify", pgettext_lazy("evaluation outcome", "Rectify")
    REVOKE = "revoke", pgettext_lazy("evaluation outcome", "Revoke")


class RevocationReason(models.TextChoices):
    FAILED = "failed", _("Failed the evaluation")
    FAILED_FOLLOW_UP = "failed_follow_up", _("Still failing at the follow-up after rectification")
    NON_SUBMISSION = (
        "non_submission",
        _("Evaluation materials not submitted in time without good reason"),
    )
    FALSE_DATA = "false_data", _("False evaluation materials")


# The annual report figures by key: (label, unit), lazy (the self-report's names).
FIGURES = {f[0]: (f[1], f[2]) for f in REPORT_FIGURES}

OPEN_STATUSES = [s for s in EvaluationStatus.values if s != EvaluationStatus.DECIDED]


class Evaluation(models.Model):
    Status = EvaluationStatus

    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="evaluations"
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    period_start = models.DateField(_("start of the cycle"))
    due_on = models.DateField(_("evaluation due on"))
    years = models.JSONField(_("years covered"), default=list)
    template = models.ForeignKey(
        IndicatorTemplate,
        verbose_name=_("indicator template"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPENED,
        db_index=True,
        protected=False,
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # commissioning
    institution = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("third-party evaluation institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    commissioned_at = models.DateTimeField(_("commissioned at"), null=True, blank=True)
    self_report_deadline = models.DateField(_("self-report deadline"), null=True, blank=True)
    evaluation_deadline = models.DateField(_("evaluation report deadline"), null=True, blank=True)
    # the evaluator's result
    total_score = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    proposed_grade = models.CharField(
        _("proposed grade"), max_length=20, choices=Grade.choices, blank=True
    )
    findings = models.TextField(pgettext_lazy("evaluation", "findings"), blank=True)
    report_file = models.FileField(
        _("formal evaluation report"), upload_to=evaluation_file_path, max_length=200, blank=True
    )
    report_name = models.CharField(_("report file name"), max_length=200, blank=True)
    proposed_at = models.DateTimeField(_("grade proposed at"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # the province's decision
    grade = models.CharField(
        _("evaluation grade"), max_length=20, choices=Grade.choices, blank=True
    )
    outcome = models.CharField(
        pgettext_lazy("evaluation", "decision"), max_length=20, choices=Outcome.choices, blank=True
    )
    revocation_reason = models.CharField(
        _("reason for revocation"), max_length=30, choices=RevocationReason.choices, blank=True
    )
    decision_note = models.TextField(_("explanation of the decision"), blank=True)
    decided_at = models.DateTimeField(
        pgettext_lazy("evaluation", "decided at"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    priority_support = models.BooleanField(
        _("Priority support, recommended to apply as a national technology innovation center"),
        default=False,
    )
    revocation_document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("revocation notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = _("three-year evaluation")
        verbose_name_plural = _("three-year evaluations")
        constraints = [
            models.UniqueConstraint(fields=["center", "cycle"], name="eval_one_per_center_cycle"),
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(outcome=""), name="eval_decided_has_outcome"
            ),
        ]
        permissions = [("score_evaluation", _("Score as the evaluation institution"))]

    def __str__(self):
        return f"{self.center}第{self.cycle}周期绩效评估"

    @property
    def years_label(self) -> str:
        years = self.years or []
        if not years:
            return ""
        return f"{years[0]}—{years[-1]}年" if is_chinese() else f"{years[0]}–{years[-1]}"

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
    self_assessment = models.TextField(_("self-report"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")

    def __str__(self):
        return f"{self.evaluation}自评报告"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class SelfReportValue(models.Model):
    """One figure of the self-report: the three years' total from the annual reports, the
    plan's target, and the value the center stands by (a change needs a reason)."""

    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("figure"), max_length=40)
    label = models.CharField(_("name"), max_length=50)
    unit = models.CharField(pgettext_lazy("evaluation", "unit"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("evaluation", "order"), default=0)
    prefilled = models.DecimalField(
        _("annual reports' total"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("three-year target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(
        _("self-assessed value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("self-report figure")
        verbose_name_plural = _("self-report figures")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="eval_one_value_per_key"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="eval_value_not_negative"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def display_label(self) -> str:
        """The figure's name in the active language (``label`` is the record, in Chinese)."""
        figure = FIGURES.get(self.key)
        return str(figure[0]) if figure else self.label

    @property
    def display_unit(self) -> str:
        figure = FIGURES.get(self.key)
        return str(figure[1]) if figure else self.unit

    @property
    def changed(self) -> bool:
        return self.value != self.prefilled


class EvaluationFile(models.Model):
    """A file of the self-report, the credit check or the rectification report; private."""

    class Part(models.TextChoices):
        SELF_REPORT = "self_report", _("Self-report material")
        CREDIT = "credit", _("Credit check evidence")
        RECTIFICATION = "rectification", _("Rectification report attachment")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="files")
    part = models.CharField(_("part"), max_length=20, choices=Part.choices)
    file = models.FileField(_("file"), upload_to=evaluation_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "part", "pk"]
        verbose_name = _("evaluation file")
        verbose_name_plural = _("evaluation files")

    def __str__(self):
        return self.name


class CreditCheck(models.Model):
    """The lead organization's research-integrity and social-credit check, recorded by the
    province before evaluating; a failed check is shown on every later step."""

    class Result(models.TextChoices):
        PASSED = "passed", _("No record of research misconduct or serious dishonesty found")
        FAILED = "failed", _("Record of research misconduct or serious dishonesty found")

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="credit_check"
    )
    result = models.CharField(_("check result"), max_length=20, choices=Result.choices)
    source = models.CharField(_("checked through"), max_length=200)
    checked_on = models.DateField(_("checked on"))
    note = models.TextField(_("note on the check"), blank=True)
    evidence = models.ForeignKey(
        EvaluationFile, verbose_name=_("evidence"), on_delete=models.PROTECT, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit check")
        verbose_name_plural = _("credit checks")

    def __str__(self):
        return f"{self.evaluation} {self.get_result_display()}"

    @property
    def failed(self) -> bool:
        return self.result == self.Result.FAILED


class IndicatorScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(
        pgettext_lazy("evaluation", "score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    computed = models.BooleanField(_("computed by the rule"), default=False)
    attainment = models.DecimalField(
        _("attainment"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    note = models.CharField(_("note on the score"), max_length=300, blank=True)

    class Meta:
        ordering = ["evaluation", "indicator__dimension__order", "indicator__order"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
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
    held_on = models.DateField(_("date of the hearing"))
    summary = models.TextField(_("opinion of the hearing"))
    experts = models.ManyToManyField(
        "reviews.ExpertProfile", verbose_name=_("experts heard"), related_name="+"
    )
    excluded = models.JSONField(_("experts excluded"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert hearing")
        verbose_name_plural = _("expert hearings")

    def __str__(self):
        return f"{self.evaluation}专家评议"


class RectificationStatus(models.TextChoices):
    REQUIRED = "required", _("Rectifying, report due")
    REPORTED = "reported", _("Rectification report submitted, to follow up")
    FOLLOWED_UP = "followed_up", _("Followed up")


class Rectification(models.Model):
    Status = RectificationStatus

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="rectification"
    )
    requirements = models.TextField(_("rectification requirements"))
    deadline = models.DateField(_("rectification deadline"))
    status = FSMField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.REQUIRED,
        db_index=True,
        protected=False,
    )
    report = models.TextField(_("rectification report"), blank=True)
    reported_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    follow_up_outcome = models.CharField(
        _("follow-up conclusion"),
        max_length=20,
        choices=[
            (Outcome.RETAIN, pgettext_lazy("evaluation outcome", "Retain")),
            (Outcome.REVOKE, pgettext_lazy("evaluation outcome", "Revoke")),
        ],
        blank=True,
    )
    follow_up_note = models.TextField(_("follow-up opinion"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

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
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("overdue self-report reminder")
        verbose_name_plural = _("overdue self-report reminders")

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
