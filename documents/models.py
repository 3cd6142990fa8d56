"""Issued documents: stored, numbered, never changed once issued."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    DESIGNATION_NOTICE = "designation_notice", _("designation notice")
    PUBLICITY_NOTICE = "publicity_notice", _("publicity notice")
    PANEL_OPINION = "panel_opinion", _("expert panel opinion")
    CHANGE_APPROVAL = "change_approval", _("approval of a center change")
    REVOCATION_NOTICE = "revocation_notice", _("revocation notice of a center")
    OTHER = "other", _("other")


class ImmutableDocumentError(Exception):
    """An issued document's number, file or target cannot change: issue a correction instead."""


def document_upload_to(instance, filename):
    return f"documents/{instance.year or 'unnumbered'}/{filename}"


class IssuedDocument(models.Model):
    """A generated document as issued: the stored PDF is the record.

    A corrected document is a new row with a new number that ``supersedes`` the old one;
    the old file stays byte-identical. ``save()`` refuses changes to the number, file,
    checksum or target of an existing row.
    """

    Kind = DocumentKind
    IMMUTABLE_FIELDS = (
        "kind",
        "prefix",
        "year",
        "sequence",
        "number",
        "title",
        "file",
        "sha256",
        "size",
        "content_type_id",
        "object_id",
        "supersedes_id",
        "issued_at",
        "verification_code",
    )

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    prefix = models.CharField(_("number prefix"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    number = models.CharField(_("document number"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")

    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    # Printed with a QR code on the PDF; the public page /verify/<code>/ shows the record.
    # Blank for documents issued before verification codes existed (their upload still checks).
    verification_code = models.CharField(
        _("verification code"), max_length=16, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "kind"]),
            models.Index(fields=["sha256"], name="documents_sha256_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year", "sequence"], name="documents_unique_sequence"
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="documents_unique_number"
            ),
            models.UniqueConstraint(
                fields=["verification_code"],
                condition=~Q(verification_code=""),
                name="documents_unique_verification_code",
            ),
            # One original designation notice per target; corrections supersede it.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=Q(kind="designation_notice", supersedes__isnull=True),
                name="documents_one_designation_notice",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values(*self.IMMUTABLE_FIELDS).first()
            if stored is not None:
                changed = [
                    field
                    for field in self.IMMUTABLE_FIELDS
                    if _comparable(getattr(self, field)) != _comparable(stored[field])
                ]
                if changed:
                    raise ImmutableDocumentError(
                        "已印发文件的文号、文件和对象不可修改，请以更正文件重新印发"
                        f"（{', '.join(changed)}）。"
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError("已印发文件不可删除。")

    @property
    def filename(self) -> str:
        base = self.number or f"document-{self.pk}"
        return f"{base}.pdf"


def _comparable(value):
    name = getattr(value, "name", None)
    if name is not None or hasattr(value, "field"):
        return name or ""
    return value
