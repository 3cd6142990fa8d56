"""The plan book (申报书) of a frozen version: rendered once, stored privately, never changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def _book_path(instance, filename):
    import uuid

    return f"private/plan-books/{uuid.uuid4().hex}.pdf"


class VersionBook(models.Model):
    """The PDF of one ``ApplicationVersion`` (applications/plan_book.py renders it).

    A version is frozen, so its book is rendered once (by the task queued when the version is
    frozen, or by the first download) and kept: every download serves the same bytes.
    """

    version = models.OneToOneField(
        "applications.ApplicationVersion",
        verbose_name=_("plan version"),
        on_delete=models.PROTECT,
        related_name="book",
    )
    file = models.FileField(_("file"), upload_to=_book_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan book")
        verbose_name_plural = _("plan books")

    def __str__(self):
        return f"{self.version} (PDF)"

    def delete(self, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("A version's plan book is kept.")
