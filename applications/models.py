from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Department, Organization
from centers.models import CenterKind, IndustryField, StrategicArea

from . import rules


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    DEPT_REVIEW = "dept_review", _("department review")
    RETURNED = "returned", _("returned for changes")
    PROVINCE_RECHECK = "province_recheck", _("provincial re-check")
    EXPERT_REVIEW = "expert_review", _("expert review")
    IMPROVING = "improving", _("improving the plan")
    AWAITING_MEETING = "awaiting_meeting", _("awaiting office meeting")
    PUBLICITY = "publicity", _("publicity")
    DESIGNATED = "designated", _("designated")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


BEFORE_MEETING = [
    Status.DRAFT,
    Status.DEPT_REVIEW,
    Status.RETURNED,
    Status.PROVINCE_RECHECK,
    Status.EXPERT_REVIEW,
    Status.IMPROVING,
    Status.AWAITING_MEETING,
]


class Application(ConcurrentTransitionMixin, models.Model):
    """A construction plan (建设方案) and its way through the state graph (DESIGN §2.1).

    The whole graph is declared here. Call transitions only through
    ``applications.services.application_transition``: it locks the row,
    checks permission and conditions, writes the audit event and notifies.
    """

    Status = Status

    number = models.CharField(
        _("application number"), max_length=20, unique=True, null=True, blank=True
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("organizing department"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(
        _("proposed name"), max_length=100, help_text=_("The ×× of 山西省××技术创新中心")
    )
    kind = models.CharField(_("center kind"), max_length=20, choices=CenterKind.choices)
    industry_field = models.ForeignKey(
        IndustryField,
        verbose_name=_("industry field"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    strategic_areas = models.ManyToManyField(
        StrategicArea, verbose_name=_("strategic areas"), blank=True
    )
    plan = models.JSONField(_("plan sections"), default=dict, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    last_reason = models.TextField(_("reasons of the last return or rejection"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("review_application", "Can review plans routed to the department"),
            ("recheck_application", "Can re-check plans as the provincial department"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"山西省{self.name}技术创新中心"

    # ---- the state graph --------------------------------------------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.DEPT_REVIEW,
        conditions=[rules.eligible],
        permission=rules.is_applicant,
        custom={"label": "提交建设方案"},
    )
    def submit(self):
        pass

    @transition(
        field=status,
        source=Status.RETURNED,
        target=Status.DEPT_REVIEW,
        conditions=[rules.eligible],
        permission=rules.is_applicant,
        custom={"label": "重新提交"},
    )
    def resubmit(self):
        pass

    @transition(
        field=status,
        source=Status.DEPT_REVIEW,
        target=Status.PROVINCE_RECHECK,
        conditions=[rules.has_opinion],
        permission=rules.is_reviewer,
        custom={"label": "审核通过"},
    )
    def approve(self):
        pass

    @transition(
        field=status,
        source=[Status.DEPT_REVIEW, Status.PROVINCE_RECHECK],
        target=Status.RETURNED,
        conditions=[rules.has_opinion],
        permission=rules.is_reviewer_or_officer,
        custom={"label": "退回修改"},
    )
    def return_plan(self):
        pass

    @transition(
        field=status,
        source=[Status.DEPT_REVIEW, Status.PROVINCE_RECHECK],
        target=Status.REJECTED,
        conditions=[rules.has_opinion],
        permission=rules.is_reviewer_or_officer,
        custom={"label": "不予通过"},
    )
    def reject(self):
        pass

    @transition(
        field=status,
        source=Status.PROVINCE_RECHECK,
        target=Status.EXPERT_REVIEW,
        permission=rules.is_officer,
        custom={"label": "复核通过"},
    )
    def pass_recheck(self):
        pass

    @transition(
        field=status,
        source=Status.EXPERT_REVIEW,
        target=Status.IMPROVING,
        conditions=[rules.panel_can_pass],
        permission=rules.is_officer,
        custom={"label": "专家论证通过"},
    )
    def conclude_pass(self):
        pass

    @transition(
        field=status,
        source=Status.EXPERT_REVIEW,
        target=Status.REJECTED,
        conditions=[rules.panel_opinion_written],
        permission=rules.is_officer,
        custom={"label": "专家论证未通过"},
    )
    def conclude_fail(self):
        pass

    @transition(
        field=status,
        source=Status.IMPROVING,
        target=Status.AWAITING_MEETING,
        conditions=[rules.opinion_points_answered],
        permission=rules.is_applicant,
        custom={"label": "提交完善后的建设方案"},
    )
    def submit_improved(self):
        pass

    @transition(
        field=status,
        source=Status.AWAITING_MEETING,
        target=Status.PUBLICITY,
        conditions=[rules.meeting_approved],
        permission=rules.is_officer,
        custom={"label": "发布公示"},
    )
    def start_publicity(self):
        pass

    @transition(
        field=status,
        source=Status.AWAITING_MEETING,
        target=Status.REJECTED,
        conditions=[rules.meeting_rejected],
        permission=rules.is_officer,
        custom={"label": "厅会议未通过"},
    )
    def meeting_reject(self):
        pass

    @transition(
        field=status,
        source=Status.PUBLICITY,
        target=Status.DESIGNATED,
        conditions=[rules.publicity_over_no_open_objection],
        permission=rules.is_officer,
        custom={"label": "认定"},
    )
    def designate(self):
        pass

    @transition(
        field=status,
        source=Status.PUBLICITY,
        target=Status.REJECTED,
        conditions=[rules.objection_upheld_exists],
        permission=rules.is_officer,
        custom={"label": "异议成立，不予认定"},
    )
    def objection_upheld(self):
        pass

    @transition(
        field=status,
        source=BEFORE_MEETING,
        target=Status.WITHDRAWN,
        permission=rules.is_applicant,
        custom={"label": "撤回申报"},
    )
    def withdraw(self):
        pass


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    """django-guardian direct foreign-key permissions for the hot table (DESIGN §3)."""

    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)
