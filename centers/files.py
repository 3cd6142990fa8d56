"""Checks of uploaded scans (PDF or image), by content, not by the name the client sent."""

from __future__ import annotations

from django.conf import settings

from documents.uploads import scan_is_whole, sniff

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png"}


class UploadRefused(ValueError):
    """Chinese message for the form."""


def check_upload(upload, *, label: str) -> str:
    """Raise UploadRefused unless ``upload`` is a real PDF, PNG or JPEG within the size limit.

    Returns the detected kind.
    """
    limit = getattr(settings, "CENTERS_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise UploadRefused(f"{label}「{name}」是空文件。")
    if size > limit:
        raise UploadRefused(f"{label}「{name}」超过 {limit // (1024 * 1024)} MB，请压缩后再上传。")
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused(f"{label}「{name}」格式不支持，只接受 PDF、JPG 或 PNG 文件。")
    kind = sniff(upload)
    if kind not in ("pdf", "png", "jpg"):
        raise UploadRefused(f"{label}「{name}」的内容不是 PDF 或图片，请上传扫描件。")
    if kind == "pdf":
        if not scan_is_whole(upload, kind):
            raise UploadRefused(f"{label}「{name}」不是完整的 PDF 文件。")
    elif not scan_is_whole(upload, kind):
        raise UploadRefused(f"{label}「{name}」图片已损坏，无法打开。")
    return kind
