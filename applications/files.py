"""Upload checks: type by CONTENT (magic bytes), extension match and size; private storage helpers."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.uploads import scan_is_whole, sniff

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# extension -> (detected type, label, content type)
ALLOWED = {
    "pdf": ("pdf", "PDF", "application/pdf"),
    "jpg": ("jpg", _("JPG image"), "image/jpeg"),
    "jpeg": ("jpg", _("JPG image"), "image/jpeg"),
    "png": ("png", _("PNG image"), "image/png"),
    "doc": ("ole", _("Word document"), "application/msword"),
    "xls": ("ole", _("Excel workbook"), "application/vnd.ms-excel"),
    "docx": (
        "docx",
        _("Word document"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "xlsx",
        _("Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
DOCUMENT_EXTENSIONS = tuple(ALLOWED)
SCAN_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


def max_bytes() -> int:
    return int(getattr(settings, "APPLICATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_upload(upload, *, extensions=DOCUMENT_EXTENSIONS, whole=False) -> tuple[str, str]:
    """Validate an upload; return (safe display name, content type). Chinese ValidationError.

    ``whole``: also the strict check of scans (documents.uploads.scan_is_whole, the same as
    the objection form's): a PDF must end with %%EOF, an image must decode fully."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed_text = "、".join(sorted({e.upper() for e in extensions}))
    if ext not in extensions:
        raise ValidationError(
            f"不支持的文件类型「{name}」，仅接受：{allowed_text}。", code="extension"
        )
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"文件「{name}」过大（{upload.size / 1048576:.1f} MB），单个文件不得超过"
            f"{limit / 1048576:.0f} MB。",
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(f"文件「{name}」是空文件。", code="empty")
    expected, label, content_type = ALLOWED[ext]
    if sniff(upload) != expected:
        raise ValidationError(
            f"文件「{name}」的内容不是真正的{label}（文件内容与扩展名不符），请上传原始文件。",
            code="content",
        )
    if whole and not scan_is_whole(upload, expected):
        raise ValidationError(
            f"文件「{name}」不完整或已损坏（{label}无法完整打开），请重新扫描或导出后上传。",
            code="damaged",
        )
    return name, content_type


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
