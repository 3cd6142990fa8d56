from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class IndustryField(models.Model):
    """One of the 14+N industry fields (Art. 7); data, extendable by administrators."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
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
        return self.name


class StrategicArea(models.Model):
    """Regional strategic areas of comprehensive centers (Art. 6)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("strategic area")
        verbose_name_plural = _("strategic areas")

    def __str__(self):
        return self.name
