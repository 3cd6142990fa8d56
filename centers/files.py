"""Checks of uploaded scans (PDF or image), by content, not by the name the client sent."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from documents.uploads import scan_is_whole, sniff

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png"}


class UploadRefused(ValueError):
    """The message for the form (in the request's language)."""


def check_upload(upload, *, label: str) -> str:
    """Raise UploadRefused unless ``upload`` is a real PDF, PNG or JPEG within the size limit.

    Returns the detected kind.
    """
    limit = getattr(settings, "CENTERS_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    names = {"label": label, "name": name, "limit": limit // (1024 * 1024)}
    if size == 0:
        raise UploadRefused(_("%(label)s “%(name)s” is an empty file.") % names)
    if size > limit:
        raise UploadRefused(
            _("%(label)s “%(name)s” is larger than %(limit)s MB; compress it and upload it again.")
            % names
        )
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused(
            _("%(label)s “%(name)s”: this format is not accepted, only PDF, JPG or PNG files.")
            % names
        )
    kind = sniff(upload)
    if kind not in ("pdf", "png", "jpg"):
        raise UploadRefused(
            _("%(label)s “%(name)s” is neither a PDF nor an image; upload a scan.") % names
        )
    if kind == "pdf":
        if not scan_is_whole(upload, kind):
            raise UploadRefused(_("%(label)s “%(name)s” is not a complete PDF file.") % names)
    elif not scan_is_whole(upload, kind):
        raise UploadRefused(
            _("%(label)s “%(name)s”: the image is damaged and cannot be opened.") % names
        )
    return kind
