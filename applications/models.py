from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

# OrganizationRegistration moved to accounts (it belongs to the organization); still importable here.
from accounts.models import Department, Organization, OrganizationRegistration  # noqa: F401
from centers.models import CenterKind, IndustryField, StrategicArea

from . import rules
from .indexes import NullsOrderIndex


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
    # when it entered its status: the latest audit event to it (audit.entered), which the
    # audit service stores with the event; the tasks waiting in a state are ordered by it
    state_entered_at = models.DateTimeField(
        _("in this state since"), default=timezone.now, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    last_reason = models.TextField(_("reasons of the last return or rejection"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            # the review inbox's default order (selectors.filter_inbox)
            NullsOrderIndex(
                F("submitted_at").desc(nulls_last=True), F("id").desc(), name="app_inbox_order"
            ),
            # the applicant home: the organization's plans, newest first
            models.Index(fields=["organization", "-created_at", "-id"], name="app_org_recent"),
            # My tasks: the plans in a state, the longest waiting first (one range scan)
            models.Index(fields=["status", "state_entered_at", "id"], name="app_state_waiting"),
        ]
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

    @property
    def current_version(self):
        """The latest frozen version (None before the first submission)."""
        return self.versions.order_by("-number").first()

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


# ---- applicant side: versions, attachments, numbering, registration -------


class AppendOnlyQuerySet(models.QuerySet):
    """Frozen rows: no bulk update or delete (like audit events)."""

    def update(self, **kwargs):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Frozen rows cannot be changed.")

    def delete(self):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Frozen rows cannot be deleted.")


class ApplicationVersion(models.Model):
    """An immutable snapshot of a plan as submitted (DESIGN §2.1).

    ``data`` holds the basics and the plan sections, ``attachments`` the
    attachments as they were (id, kind, name, size, sha256). Created only by
    ``applications.versions.freeze_version``; never changed or deleted.
    """

    class Reason(models.TextChoices):
        SUBMIT = "submit", _("first submission")
        RESUBMIT = "resubmit", _("resubmission after return")
        IMPROVED = "improved", _("improved after expert review")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version number"))
    data = models.JSONField(_("data"), default=dict)
    attachments = models.JSONField(_("attachments"), default=list)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="one_version_number_per_application"
            )
        ]

    def __str__(self):
        return f"{self.data.get('full_name', '')} v{self.number}"

    def save(self, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        if self.pk is not None or not self._state.adding:
            raise PermissionDenied("Plan versions are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Plan versions are immutable.")

    @property
    def plan(self) -> dict:
        return self.data.get("plan", {})


def _attachment_path(instance, filename):
    import uuid

    from django.utils import timezone

    today = timezone.localdate()
    return f"private/applications/{today:%Y/%m}/{uuid.uuid4().hex}"


class AttachmentKind(models.TextChoices):
    PLAN_DOCUMENT = "plan_document", _("plan document")
    CHARTER = "charter", _("charter")
    BUSINESS_LICENCE = "business_licence", _("business licence")
    TITLE_CERTIFICATE = "title_certificate", _("title certificate")
    PREMISES_PROOF = "premises_proof", _("proof of premises")
    CREDIT_REPORT = "credit_report", _("credit report")
    OTHER = "other", _("other")


# The names of the attachment kinds (in the active language) in eligibility messages and
# version comparisons.
ATTACHMENT_LABELS = dict(AttachmentKind.choices)


class Attachment(models.Model):
    """A file of a plan, stored privately (no public URL; downloaded through a view).

    The file never changes. Removing it from a draft only sets ``removed_at``:
    versions that reference it keep it.
    """

    Kind = AttachmentKind

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed from the draft at"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Attachments are kept for the versions that reference them.")


def _licence_path(instance, filename):
    import uuid

    return f"private/registrations/{uuid.uuid4().hex}"


# The plan book (申报书) of a version: its own module, registered with the app's models here.
from .models_book import VersionBook  # noqa: E402, F401
