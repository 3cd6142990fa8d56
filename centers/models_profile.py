"""The profile of a designated center (Art. 10–13), kept by its lead organization.

Written only by ``centers.services.profile``. The routine parts (legal entity, contact,
governance members, public services) are edited directly; the structure (co-builders,
specialized institutions), the name and the main research direction change only through a
change request (Art. 15), whose service rewrites :class:`CoBuilder` rows when it applies.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

ZERO = 0

__all__ = [
    "CenterProfile",
    "CoBuilder",
    "CoBuildingMode",
    "CenterGroupObjectPermission",
    "CenterUserObjectPermission",
    "GovernanceBody",
    "GovernanceMember",
    "LegalEntityType",
    "PublicService",
]


class LegalEntityType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    SOCIAL_SERVICE_ORGANIZATION = "social_service_organization", _("Social service organization")
    INTERNAL_UNIT = (
        "internal_unit_in_transition",
        _("Internal unit (in transition to an independent legal entity)"),
    )


class CenterProfile(models.Model):
    """Legal entity (Art. 10), the council's rules (Art. 11) and the contact of one center."""

    center = models.OneToOneField(
        "centers.Center", on_delete=models.CASCADE, related_name="center_profile"
    )
    legal_entity_type = models.CharField(
        _("legal entity type"), max_length=40, choices=LegalEntityType.choices, blank=True
    )
    transition_planned_on = models.DateField(
        _("planned date of becoming an independent legal entity"), null=True, blank=True
    )
    transition_plan = models.TextField(_("transition plan"), blank=True)
    charter = models.TextField(_("charter"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("center profile")
        verbose_name_plural = _("center profiles")

    def __str__(self):
        return str(self.center)


class GovernanceBody(models.TextChoices):
    COUNCIL = "council", _("Council (board)")
    DIRECTOR = "director", _("Director (general manager)")
    EXPERT_COMMITTEE = "expert_committee", _("Expert committee")


class GovernanceMember(models.Model):
    """A member of the council or board, the director or general manager, an expert (Art. 11)."""

    center = models.ForeignKey(
        "centers.Center", on_delete=models.CASCADE, related_name="governance_members"
    )
    body = models.CharField(_("governance body"), max_length=20, choices=GovernanceBody.choices)
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position or title"), max_length=100, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["center", "body", "order", "pk"]
        verbose_name = _("governance member")
        verbose_name_plural = _("governance members")

    def __str__(self):
        return self.name


class CoBuildingMode(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership")
    SHAREHOLDING = "shareholding", _("Shareholding")
    AGREEMENT = "agreement", _("Agreement")


class CoBuilder(models.Model):
    """A co-building organization, how it joins and what it invests (Art. 12).

    Structure: changed only by an approved change request (adjustment or reorganization).
    """

    center = models.ForeignKey(
        "centers.Center", on_delete=models.CASCADE, related_name="cobuilder_rows"
    )
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    org_type = models.CharField(_("organization type"), max_length=30, blank=True)
    mode = models.CharField(
        _("co-building mode"), max_length=20, choices=CoBuildingMode.choices, blank=True
    )
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)
    committed_wan = models.DecimalField(
        _("committed investment (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(ZERO)],
    )
    paid_in_wan = models.DecimalField(
        _("paid-in investment (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(ZERO)],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["center", "order", "pk"]
        verbose_name = _("co-builder")
        verbose_name_plural = _("co-builders")
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_wan__gte=0) & Q(paid_in_wan__gte=0),
                name="cobuilder_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(paid_in_wan__lte=F("committed_wan")),
                name="cobuilder_paid_in_within_commitment",
            ),
        ]

    def __str__(self):
        return self.name


class PublicService(models.Model):
    """A public service the center offers to others (Art. 13), with a short description."""

    center = models.ForeignKey(
        "centers.Center", on_delete=models.CASCADE, related_name="public_services"
    )
    name = models.CharField(_("service"), max_length=50)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["center", "order", "pk"]
        verbose_name = _("public service")
        verbose_name_plural = _("public services")

    def __str__(self):
        return self.name


# Object permissions on centers with direct foreign keys (granted to unit groups by
# centers.permissions): lead organization view + change, organizing department view.
class CenterUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("centers.Center", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class CenterGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("centers.Center", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
