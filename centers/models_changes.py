"""Change requests of designated centers (重大事项变更, Art. 15) and the history of applied changes.

Imported at the bottom of ``centers.models``; every write goes through
``centers.services.changes``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER


class ChangeKind(models.TextChoices):
    RENAME = "rename", _("rename")
    DIRECTION = "direction", _("change of the main research direction")
    REORGANIZATION = "reorganization", _("adjustment or reorganization")
    OTHER = "other", _("other major matter")


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    DEPT_REVIEW = "dept_review", _("awaiting the organizing department")
    RETURNED = "returned", _("returned for revision")
    PROVINCE_REVIEW = "province_review", _("awaiting the provincial department")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


OPEN_CHANGE_STATUSES = [
    ChangeStatus.DRAFT,
    ChangeStatus.DEPT_REVIEW,
    ChangeStatus.RETURNED,
    ChangeStatus.PROVINCE_REVIEW,
]
#: Kinds whose approval is issued as a numbered document (批复).
DOCUMENTED_KINDS = (ChangeKind.RENAME, ChangeKind.REORGANIZATION)


def _role(user, role) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_role(role))


def is_center_staff(request, user) -> bool:
    """Staff of the center's lead organization (they file and resubmit)."""
    return _role(user, APPLICANT) and user.organization_id == request.center.lead_organization_id


def is_center_department(request, user) -> bool:
    """A reviewer of the center's organizing department."""
    return _role(user, DEPARTMENT_REVIEWER) and user.department_id == request.center.department_id


def is_province(request, user) -> bool:
    return _role(user, PROVINCIAL_OFFICER)


def change_path(instance, filename):
    """A path under MEDIA_ROOT/private/centers/changes/...; served only through the view."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"private/centers/changes/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class CenterChangeRequest(ConcurrentTransitionMixin, models.Model):
    """A written request of the lead organization for one major change of its center."""

    Kind = ChangeKind
    Status = ChangeStatus

    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=ChangeKind.choices)
    status = FSMField(
        _("status"),
        max_length=20,
        choices=ChangeStatus.choices,
        default=ChangeStatus.DRAFT,
        protected=True,
        db_index=True,
    )
    reasons = models.TextField(_("reasons"))
    description = models.TextField(_("what changes"), blank=True)
    new_name = models.CharField(_("new name"), max_length=150, blank=True)
    new_direction = models.TextField(_("new main research direction"), blank=True)
    new_cobuilders = models.JSONField(_("co-builders after the change"), default=list, blank=True)
    new_institutions = models.JSONField(
        _("specialized institutions after the change"), default=list, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    #: when the request arrived at the desk that has to act now (reminders count from it)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    dept_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    dept_decided_at = models.DateTimeField(_("department decided at"), null=True, blank=True)
    dept_opinion = models.TextField(_("department opinion"), blank=True)
    province_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    province_decided_at = models.DateTimeField(_("province decided at"), null=True, blank=True)
    province_opinion = models.TextField(_("provincial opinion"), blank=True)
    approval_document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("approval document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_request",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "kind"],
                condition=Q(status__in=OPEN_CHANGE_STATUSES),
                name="centers_one_open_change_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.center}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHANGE_STATUSES

    @property
    def editable(self) -> bool:
        return self.status in (ChangeStatus.DRAFT, ChangeStatus.RETURNED)

    # ---- the state graph (the services call these; conditions live in the service) ----

    @transition(
        field=status,
        source=ChangeStatus.DRAFT,
        target=ChangeStatus.DEPT_REVIEW,
        permission=is_center_staff,
        custom={"label": "提交变更申请"},
    )
    def submit(self):
        pass

    @transition(
        field=status,
        source=ChangeStatus.RETURNED,
        target=ChangeStatus.DEPT_REVIEW,
        permission=is_center_staff,
        custom={"label": "修改后重新提交"},
    )
    def resubmit(self):
        pass

    @transition(
        field=status,
        source=ChangeStatus.DEPT_REVIEW,
        target=ChangeStatus.PROVINCE_REVIEW,
        permission=is_center_department,
        custom={"label": "组织管理部门审核同意，报省科技厅"},
    )
    def dept_approve(self):
        pass

    @transition(
        field=status,
        source=ChangeStatus.DEPT_REVIEW,
        target=ChangeStatus.RETURNED,
        permission=is_center_department,
        custom={"label": "组织管理部门退回修改"},
    )
    def dept_return(self):
        pass

    @transition(
        field=status,
        source=ChangeStatus.DEPT_REVIEW,
        target=ChangeStatus.REJECTED,
        permission=is_center_department,
        custom={"label": "组织管理部门不同意"},
    )
    def dept_reject(self):
        pass

    @transition(
        field=status,
        source=ChangeStatus.PROVINCE_REVIEW,
        target=ChangeStatus.APPROVED,
        permission=is_province,
        custom={"label": "省科技厅批准变更"},
    )
    def approve(self):
        pass

    @transition(
        field=status,
        source=ChangeStatus.PROVINCE_REVIEW,
        target=ChangeStatus.REJECTED,
        permission=is_province,
        custom={"label": "省科技厅不予批准"},
    )
    def reject(self):
        pass


class ChangeAttachment(models.Model):
    """A scan attached to a change request (PDF or image); private."""

    request = models.ForeignKey(
        CenterChangeRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=change_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("change request attachment")
        verbose_name_plural = _("change request attachments")

    def __str__(self):
        return self.name


class CenterChange(models.Model):
    """An applied change: what the center was and became, and the request that decided it."""

    center = models.ForeignKey("centers.Center", on_delete=models.PROTECT, related_name="changes")
    request = models.OneToOneField(
        CenterChangeRequest, on_delete=models.PROTECT, related_name="applied_change"
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=ChangeKind.choices)
    old_values = models.JSONField(_("old values"), default=dict)
    new_values = models.JSONField(_("new values"), default=dict)
    applied_on = models.DateField(_("applied on"))
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["center", "applied_on", "pk"]
        verbose_name = _("applied change")
        verbose_name_plural = _("applied changes")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.applied_on}"


class ChangeReminder(models.Model):
    """One reminder sent about a request waiting at one desk since one moment (idempotence)."""

    request = models.ForeignKey(
        CenterChangeRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices)
    waiting_since = models.DateTimeField(_("waiting since"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change request reminder")
        verbose_name_plural = _("change request reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "status", "waiting_since"], name="centers_one_change_reminder"
            )
        ]

    def __str__(self):
        return f"{self.request_id} {self.status}"


class ReportReminder(models.Model):
    """One reminder sent about an annual report waiting for the department's review."""

    report = models.ForeignKey(
        "centers.AnnualReport", on_delete=models.CASCADE, related_name="waiting_reminders"
    )
    waiting_since = models.DateTimeField(_("waiting since"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("annual report reminder")
        verbose_name_plural = _("annual report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "waiting_since"], name="centers_one_report_reminder"
            )
        ]

    def __str__(self):
        return f"{self.report_id} {self.waiting_since:%Y-%m-%d}"
