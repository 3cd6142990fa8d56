from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.languages import LocalizedName


class CenterKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("comprehensive center")
    DOMAIN = "domain", _("domain center")


class IndustryFieldQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class IndustryField(LocalizedName, models.Model):
    """One of the 14+N industry fields (Art. 7); data, extendable by administrators."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = IndustryFieldQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("industry field")
        verbose_name_plural = _("industry fields")

    def __str__(self):
        return self.localized_name


class StrategicArea(LocalizedName, models.Model):
    """Regional strategic areas of comprehensive centers (Art. 6)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("strategic area")
        verbose_name_plural = _("strategic areas")

    def __str__(self):
        return self.localized_name


# ---------------------------------------------------------------------------
# Office meetings (厅会议), publicity (公示), objections (异议), designated centers.
# Every change goes through centers/services.py.
# ---------------------------------------------------------------------------


def _private_path(folder, filename):
    """A path under MEDIA_ROOT/private/centers/...; never served by URL (views check access)."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    today = timezone.localdate()
    return f"private/centers/{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def minutes_path(instance, filename):
    return _private_path("minutes", filename)


def objection_path(instance, filename):
    return _private_path("objections", filename)


class Meeting(models.Model):
    """An office meeting of the provincial S&T department (Art. 9(3))."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("meeting date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    minutes = models.FileField(_("minutes"), upload_to=minutes_path, max_length=200, blank=True)
    minutes_name = models.CharField(_("minutes file name"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["-held_on", "-id"], name="meeting_list_order")]
        verbose_name = _("office meeting")
        verbose_name_plural = _("office meetings")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class MeetingItem(models.Model):
    """One plan on a meeting's agenda with its staged decision (applied when the meeting closes)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("not decided")
        APPROVE = "approve", _("approve")
        REJECT = "reject", _("reject")
        DEFER = "defer", _("defer")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="meeting_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="one_item_per_plan_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.application}"


class PublicityNotice(models.Model):
    """A publicity notice (公示) of one or more plans approved by an office meeting."""

    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("publicity starts"))
    end_date = models.DateField(_("publicity ends"))
    contact = models.TextField(_("contact for objections"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["-start_date", "-id"], name="notice_list_order")]
        verbose_name = _("publicity notice")
        verbose_name_plural = _("publicity notices")

    def __str__(self):
        return self.title


class PublicityItem(models.Model):
    """A plan in a publicity notice. A plan is publicized once."""

    notice = models.ForeignKey(PublicityNotice, on_delete=models.PROTECT, related_name="items")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="publicity_item"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    center_name = models.CharField(_("center name"), max_length=150)
    lead_organization_name = models.CharField(_("lead organization"), max_length=200)
    kind = models.CharField(_("center kind"), max_length=20, choices=CenterKind.choices)
    field_name = models.CharField(_("industry field"), max_length=50, blank=True)

    class Meta:
        ordering = ["notice", "order", "pk"]
        verbose_name = _("publicized plan")
        verbose_name_plural = _("publicized plans")

    def __str__(self):
        return self.center_name


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("received, awaiting handling")
    INVESTIGATING = "investigating", _("under investigation")
    DISMISSED = "dismissed", _("not upheld")
    UPHELD = "upheld", _("upheld")
    MOOT = "moot", _("closed: the plan was not designated")


OPEN_OBJECTION_STATUSES = [ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING]


class Objection(models.Model):
    """A written, real-name objection (异议) to a publicized plan (DESIGN §2.3).

    The objector's identity is shown only to provincial officers; the public
    status lookup shows the receipt number, the plan and the status.
    """

    Status = ObjectionStatus

    class ObjectorKind(models.TextChoices):
        PERSON = "person", _("individual")
        ORGANIZATION = "organization", _("organization")

    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True)
    item = models.ForeignKey(PublicityItem, on_delete=models.PROTECT, related_name="objections")
    objector_kind = models.CharField(_("objector"), max_length=20, choices=ObjectorKind.choices)
    name = models.CharField(_("name"), max_length=100)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    address = models.CharField(_("address"), max_length=300)
    reasons = models.TextField(_("reasons"))
    statement = models.FileField(_("statement"), upload_to=objection_path, max_length=200)
    statement_name = models.CharField(_("statement file name"), max_length=200)
    submitted_at = models.DateTimeField(_("submitted at"))
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.RECEIVED,
        db_index=True,
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["-submitted_at", "-id"], name="objection_list_order")]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return self.receipt_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OBJECTION_STATUSES


class ObjectionFile(models.Model):
    """Evidence of an objection; private."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=objection_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["objection", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name


class ObjectionNote(models.Model):
    """An investigation note of the officer handling an objection."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["objection", "created_at", "pk"]
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")

    def __str__(self):
        return self.text[:40]


class CenterStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("center", "active")
    RECTIFYING = "rectifying", _("rectifying")
    REVOKED = "revoked", _("revoked")


class Center(models.Model):
    """A designated 山西省××技术创新中心, created by ``centers.services.designation.designate``."""

    Status = CenterStatus

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="center"
    )
    number = models.CharField(_("center number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("center kind"), max_length=20, choices=CenterKind.choices)
    industry_field = models.ForeignKey(
        IndustryField,
        verbose_name=_("industry field"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centers",
    )
    strategic_areas = models.ManyToManyField(
        StrategicArea, verbose_name=_("strategic areas"), blank=True, related_name="centers"
    )
    lead_organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="centers",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("organizing department"),
        on_delete=models.PROTECT,
        related_name="centers",
    )
    city = models.ForeignKey(
        "accounts.City",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centers",
    )
    main_direction = models.TextField(_("main research direction"), blank=True)
    cobuilders = models.JSONField(_("co-builders"), default=list, blank=True)
    director = models.JSONField(_("director"), default=dict, blank=True)
    targets = models.JSONField(_("targets"), default=list, blank=True)
    profile = models.JSONField(
        _("profile (governance, investment, public services)"), default=dict, blank=True
    )
    plan_version = models.PositiveIntegerField(_("plan version"), null=True, blank=True)
    designated_on = models.DateField(_("designated on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CenterStatus.choices,
        default=CenterStatus.ACTIVE,
        db_index=True,
    )
    # set by the three-year evaluation (evaluations.services.consequences) when it revokes
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revocation_reason = models.TextField("撤销原因", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-designated_on", "-number"]
        # the public registry's order (selectors.registry); the admin's scans it backwards
        indexes = [models.Index(fields=["-designated_on", "number"], name="center_registry_order")]
        verbose_name = _("technology innovation center")
        verbose_name_plural = _("technology innovation centers")

    def __str__(self):
        return self.name

    @property
    def shown_targets(self) -> list[dict]:
        """The targets with the standard ones' label and unit in the active language (the
        stored rows carry the Chinese ones of the plan)."""
        from applications.sections import STANDARD_TARGETS

        standard = {key: (label, unit) for key, label, unit in STANDARD_TARGETS}
        out = []
        for row in self.targets or []:
            if isinstance(row, dict) and row.get("key") in standard:
                label, unit = standard[row["key"]]
                row = {**row, "label": str(label), "unit": str(unit)}
            out.append(row)
        return out


class CenterName(models.Model):
    """Name history: the current name has ``valid_to`` empty; former names are closed."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=150)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["center", "valid_from", "pk"]
        verbose_name = _("center name")
        verbose_name_plural = _("center names")

    def __str__(self):
        return self.name


from centers import models_changes  # noqa: E402, F401 - change requests (Art. 15)
from centers.models_profile import *  # noqa: E402,F401,F403  (profile, governance: Art. 10–13)
from centers.models_reports import *  # noqa: E402,F401,F403  (annual reports)
