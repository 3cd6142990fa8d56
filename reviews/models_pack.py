"""The panel pack: one ZIP per panel and scored version, built once and kept privately."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _pack_path(instance, filename):
    import uuid

    return f"private/panel-packs/{uuid.uuid4().hex}.zip"


class PanelPack(models.Model):
    """The plan book of the version under review and its attachments (reviews/pack.py).

    The version is frozen, so the pack of (panel, version) never changes once built; a
    panel that scores a later version gets a new pack.
    """

    panel = models.ForeignKey(
        "reviews.Panel", verbose_name=_("panel"), on_delete=models.PROTECT, related_name="packs"
    )
    version_number = models.PositiveIntegerField(_("scored plan version"))
    file = models.FileField(_("file"), upload_to=_pack_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel pack")
        verbose_name_plural = _("panel packs")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "version_number"], name="reviews_one_pack_per_version"
            )
        ]

    def __str__(self):
        return f"{self.panel} v{self.version_number} (ZIP)"
