"""Upload checks: type by CONTENT (magic bytes), extension match and size; private storage helpers."""

from __future__ import annotations

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# extension -> (detected type, label, content type)
ALLOWED = {
    "pdf": ("pdf", "PDF", "application/pdf"),
    "jpg": ("jpg", "JPG图片", "image/jpeg"),
    "jpeg": ("jpg", "JPG图片", "image/jpeg"),
    "png": ("png", "PNG图片", "image/png"),
    "doc": ("ole", "Word文档", "application/msword"),
    "xls": ("ole", "Excel表格", "application/vnd.ms-excel"),
    "docx": (
        "docx",
        "Word文档",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "xlsx",
        "Excel表格",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
DOCUMENT_EXTENSIONS = tuple(ALLOWED)
SCAN_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


def max_bytes() -> int:
    return int(getattr(settings, "APPLICATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(upload) -> str | None:
    """The real type of an uploaded file from its bytes: pdf, jpg, png, ole, docx, xlsx or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def check_upload(upload, *, extensions=DOCUMENT_EXTENSIONS) -> tuple[str, str]:
    """Validate an upload; return (safe display name, content type). Chinese ValidationError."""
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
    return name, content_type


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
