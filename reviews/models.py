"""Expert review (专家论证, Art. 9(2), DESIGN §2.2): expert pool, score templates,
panels drawn at random with conflict checks, scores, site inspection and defense,
the panel opinion and the applicant's answers to it.

State changes go through ``reviews.services``; reads that span relations live
in ``reviews.selectors``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_credit_code
from centers.models import IndustryField
from documents.languages import LocalizedName, localized, paren, punct


def pts(value) -> str:
    """Points without trailing zeros: 20.0 -> "20", 12.5 -> "12.5"."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ExpertKind(models.TextChoices):
    TECHNICAL = "technical", _("technical expert")
    MANAGEMENT = "management", _("management expert")
    FINANCIAL = "financial", _("financial expert")


class Recommendation(models.TextChoices):
    PASS = "pass", _("pass")
    IMPROVE = "improve", _("pass after improvement")
    FAIL = "fail", _("fail")


class ExpertProfile(models.Model):
    """A member of the expert pool (专家库)."""

    Kind = ExpertKind

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    kind = models.CharField(_("expert kind"), max_length=20, choices=ExpertKind.choices)
    industry_fields = models.ManyToManyField(
        IndustryField, verbose_name=_("industry fields"), blank=True, related_name="experts"
    )
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200)
    employer_credit_code = models.CharField(
        _("employer's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active in the pool"), default=True)
    avoid_organizations = models.JSONField(
        _("avoidance list"),
        default=list,
        blank=True,
        help_text=_('Organizations the expert must not review: [{"name", "credit_code"}]'),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind", "user__last_name", "user__first_name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")

    def __str__(self):
        return f"{self.user}{paren(self.get_kind_display() + punct('，') + self.employer_name)}"

    @property
    def name(self) -> str:
        return str(self.user)


class ScoreTemplate(LocalizedName, models.Model):
    """Criteria experts score; versioned, frozen once a panel uses it."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default for new panels"), default=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("score template")
        verbose_name_plural = _("score templates")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="score_template_version"),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_template"
            ),
        ]

    def __str__(self):
        return self.localized_name + paren(_("version %(n)s") % {"n": self.version})

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Criterion(LocalizedName, models.Model):
    template = models.ForeignKey(
        ScoreTemplate, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("template")
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(1)],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.localized_name + paren(_("%(n)s points") % {"n": pts(self.max_points)})

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    @property
    def localized_description(self) -> str:
        return localized(self.description, self.description_en)

    def _refuse_if_frozen(self):
        from django.core.exceptions import ValidationError

        template_id = self.template_id
        if (
            template_id
            and ScoreTemplate.objects.filter(pk=template_id, frozen_at__isnull=False).exists()
        ):
            raise ValidationError("评分模板已被专家组使用并冻结，不能修改；请创建新版本。")


class Panel(models.Model):
    """The expert panel (专家组) of one application."""

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        CONCLUDED = "concluded", _("concluded")

    class Outcome(models.TextChoices):
        PASS = "pass", _("passed")
        FAIL = "fail", _("failed")

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="panel",
    )
    version_number = models.PositiveIntegerField(_("scored plan version"), null=True, blank=True)
    template = models.ForeignKey(
        ScoreTemplate, verbose_name=_("score template"), on_delete=models.PROTECT
    )
    size = models.PositiveSmallIntegerField(_("panel size"))
    n_technical = models.PositiveSmallIntegerField(_("technical experts"))
    n_management = models.PositiveSmallIntegerField(_("management experts"))
    n_financial = models.PositiveSmallIntegerField(_("financial experts"))
    avoid_request = models.TextField(
        _("experts or organizations the applicant asked to avoid"), blank=True
    )
    score_deadline = models.DateField(_("score deadline"))
    deviation_margin = models.DecimalField(
        _("deviation warning margin (points)"), max_digits=5, decimal_places=1, default=15
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    opinion_summary = models.TextField(_("panel opinion"), blank=True)
    opinion_finalized_at = models.DateTimeField(_("opinion signed at"), null=True, blank=True)
    improved_submitted_at = models.DateTimeField(
        _("improved plan submitted at"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")

    def __str__(self):
        return f"{self.application.full_name} 专家组"

    @property
    def kind_counts(self) -> dict[str, int]:
        return {
            ExpertKind.TECHNICAL: self.n_technical,
            ExpertKind.MANAGEMENT: self.n_management,
            ExpertKind.FINANCIAL: self.n_financial,
        }

    @property
    def opinion_written(self) -> bool:
        return self.opinion_finalized_at is not None


class PanelDraw(models.Model):
    """One random draw, recorded so it can be audited and reproduced."""

    class Purpose(models.TextChoices):
        FORMATION = "formation", _("panel formation")
        REPLACEMENT = "replacement", _("replacement")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="draws")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    seed = models.BigIntegerField(_("random seed"))
    wanted = models.JSONField(_("wanted per kind"), default=dict)
    candidates = models.JSONField(
        _("eligible candidates per kind"), default=dict, help_text=_("{kind: [expert ids]}")
    )
    exclusions = models.JSONField(
        _("exclusions"), default=list, help_text=_('[{"expert", "name", "reasons": [...]}]')
    )
    picked = models.JSONField(_("picked"), default=dict, help_text=_("{kind: [expert ids]}"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("panel draw")
        verbose_name_plural = _("panel draws")

    def __str__(self):
        return f"{self.get_purpose_display()} #{self.pk}"


class PanelMember(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CONFLICT = "conflict", _("withdrew for a conflict of interest")
        REMOVED = "removed", _("replaced")

    ACTIVE = (Status.INVITED, Status.ACCEPTED)

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(_("expert kind"), max_length=20, choices=ExpertKind.choices)
    draw = models.ForeignKey(PanelDraw, on_delete=models.PROTECT, related_name="members")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    no_conflict_declared_at = models.DateTimeField(
        _("no conflict declared at"), null=True, blank=True
    )
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    removed_reason = models.TextField(_("reason of removal"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["panel", "kind", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="one_seat_per_expert"),
            models.UniqueConstraint(
                fields=["panel"], condition=Q(is_chair=True), name="one_chair_per_panel"
            ),
        ]

    def __str__(self):
        return f"{self.expert.user}{paren(self.get_kind_display())}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def needs_replacement(self) -> bool:
        return self.status not in self.ACTIVE and self.replaced_by_id is None

    @property
    def may_score(self) -> bool:
        return self.status == self.Status.ACCEPTED and self.no_conflict_declared_at is not None


class ScoreSheet(models.Model):
    """One expert's scores, opinion and recommendation; locked once submitted."""

    member = models.OneToOneField(PanelMember, on_delete=models.CASCADE, related_name="sheet")
    opinion = models.TextField(_("opinion"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self):
        return f"{self.member} 评分"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


class Visit(models.Model):
    """Site inspection (实地考察) or defense (现场答辩)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("site inspection")
        DEFENSE = "defense", _("defense")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"))
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("site inspection or defense")
        verbose_name_plural = _("site inspections and defenses")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class VisitFile(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="reviews/visits/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("visit file")
        verbose_name_plural = _("visit files")

    def __str__(self):
        return self.name


class VisitNote(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="notes")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="visit_notes")
    text = models.TextField(_("note"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("expert note")
        verbose_name_plural = _("expert notes")
        constraints = [
            models.UniqueConstraint(fields=["visit", "member"], name="one_note_per_visit_member")
        ]

    def __str__(self):
        return self.text[:40]


class OpinionPoint(models.Model):
    """One numbered point of the panel opinion, and the applicant's answer to it."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("opinion point"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["panel", "number"]
        verbose_name = _("opinion point")
        verbose_name_plural = _("opinion points")
        constraints = [models.UniqueConstraint(fields=["panel", "number"], name="one_point_number")]

    def __str__(self):
        return f"{self.number}. {self.text[:40]}"


class ReminderLog(models.Model):
    """One reminder per member, deadline and kind: the task is idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("score due soon")
        OVERDUE = "overdue", _("score overdue")

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.DateField(_("deadline"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "deadline", "kind"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self):
        return f"{self.member} {self.kind} {self.deadline}"


# The panel pack (ZIP of the version under review): its own module, registered here.
from .models_pack import PanelPack  # noqa: E402, F401
