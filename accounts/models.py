from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.languages import LocalizedName

from .validators import validate_credit_code

SHANXI = "山西省"


class City(LocalizedName, models.Model):
    """A prefecture-level city of Shanxi (GB/T 2260)."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    division_code = models.CharField(_("division code"), max_length=6, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "division_code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.localized_name


class UnitGroupMixin(models.Model):
    """Organizations and departments own a group; object permissions go to it."""

    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, null=True, blank=True, editable=False
    )
    group_prefix = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.group_id is None:
            self.group, _created = Group.objects.get_or_create(
                name=f"{self.group_prefix}:{self.pk}"
            )
            super().save(update_fields=["group"])


class Organization(UnitGroupMixin):
    class Type(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        UNIVERSITY = "university", _("university")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        TECHNICAL_INSTITUTION = "technical_institution", _("technical institution")
        NEW_RD_INSTITUTION = "new_rd_institution", _("new R&D institution")
        THIRD_PARTY_EVALUATOR = "third_party_evaluator", _("third-party evaluator")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting verification")
        VERIFIED = "verified", _("verified")
        REFUSED = "refused", _("verification refused")

    group_prefix = "org"

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    org_type = models.CharField(_("organization type"), max_length=32, choices=Type.choices)
    registered_province = models.CharField(_("registered province"), max_length=20, default=SHANXI)
    registered_city = models.ForeignKey(
        City, verbose_name=_("registered city"), on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_legal_person = models.BooleanField(_("independent legal person"), default=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    status = models.CharField(
        _("verification status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    verifying_department = models.ForeignKey(
        "Department",
        verbose_name=_("verifying department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations_to_verify",
    )
    # The name as the department last verified it: what public pages and exports show
    # while a change waits for verification (DESIGN §2.4: the registry shows verified data).
    verified_name = models.CharField(_("verified name"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # when it entered its status, stored by the audit service with the event (audit.entered)
    state_entered_at = models.DateTimeField(
        _("in this state since"), default=timezone.now, editable=False
    )

    class Meta:
        ordering = ["name"]
        # My tasks: the registrations to verify, the longest waiting first
        indexes = [
            models.Index(fields=["status", "state_entered_at", "id"], name="org_state_waiting")
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A verified organization's current name is its verified name (the verification
        # service, the admin, data loads); a pending change keeps the last verified one.
        if self.status == self.Status.VERIFIED and self.verified_name != self.name:
            self.verified_name = self.name
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "verified_name"}
        super().save(*args, **kwargs)

    @property
    def public_name(self) -> str:
        """The name public pages and exports show: the last verified one."""
        return self.verified_name or self.name

    @property
    def in_shanxi(self) -> bool:
        return self.registered_province == SHANXI

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED


class Department(UnitGroupMixin):
    class Kind(models.TextChoices):
        PROVINCE_ST = "province_st", _("provincial S&T department")
        CITY_BUREAU = "city_bureau", _("city S&T bureau")
        PROVINCIAL_DEPARTMENT = "provincial_department", _("provincial department")
        COMPETENT_DEPARTMENT = "competent_department", _("competent department")

    group_prefix = "dept"

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["kind", "city__order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["city"], condition=Q(kind="city_bureau"), name="one_bureau_per_city"
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def province(cls) -> "Department":
        return cls.objects.get(kind=cls.Kind.PROVINCE_ST)


class CaseInsensitiveUserManager(UserManager):
    """Log-in (ModelBackend), createsuperuser and natural keys find a username whatever its
    case; the unique constraint on Lower(username) keeps that to one account."""

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = CaseInsensitiveUserManager()

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(department__isnull=True),
                name="user_in_one_unit",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ci",
                violation_error_message="该用户名已被使用（用户名不区分大小写）。",
            ),
        ]

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def unit(self):
        return self.organization or self.department

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        unit = self.unit
        if unit is not None and unit.group_id:
            self.groups.add(unit.group_id)

    def has_role(self, role: str) -> bool:
        from .roles import user_roles

        return role in user_roles(self)


def _licence_path(instance, filename):
    import uuid

    return f"private/registrations/{uuid.uuid4().hex}"


class OrganizationRegistration(models.Model):
    """The self-registration of an organization: licence scan, contact, verification decision.

    The table keeps its first name (the model was in the applications app before).
    """

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="registration",
    )
    licence = models.FileField(_("business licence scan"), upload_to=_licence_path, max_length=200)
    licence_name = models.CharField(_("file name"), max_length=200)
    licence_size = models.PositiveBigIntegerField(_("size"))
    licence_sha256 = models.CharField(_("SHA-256"), max_length=64)
    licence_content_type = models.CharField(_("content type"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason of refusal"), blank=True)

    class Meta:
        db_table = "applications_organizationregistration"
        verbose_name = _("organization registration")
        verbose_name_plural = _("organization registrations")

    def __str__(self):
        return str(self.organization)


from .models_exports import ExportJob  # noqa: E402, F401  (registered with the app)
