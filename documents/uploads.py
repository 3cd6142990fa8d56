"""What an uploaded or stored file really is, read from its bytes (never from the name the
client sent). Shared by every upload check (plan attachments, licence scans, objection scans,
site-visit files) and by the views that serve private files."""

from __future__ import annotations

import zipfile

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "ole": "application/octet-stream",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# An Office document has a few dozen parts; a central directory listing more is refused before
# zipfile builds an entry object for each one.
MAX_ZIP_ENTRIES = 10_000


def _zip_entries(fileobj) -> int:
    """Entries announced by the end-of-central-directory record (ZIP64 counts as too many)."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(size - 65_557, 0))
    tail = fileobj.read()
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return 0  # zipfile will refuse it
    total = int.from_bytes(tail[at + 10 : at + 12], "little")
    return MAX_ZIP_ENTRIES + 1 if total == 0xFFFF else total


def sniff(fileobj) -> str | None:
    """pdf, png, jpg, ole (legacy Office), docx, xlsx or None; the position is kept at 0."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        if _zip_entries(fileobj) > MAX_ZIP_ENTRIES:
            return None
        try:
            with zipfile.ZipFile(fileobj) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            return None
        finally:
            fileobj.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def _image_decodes(fileobj) -> bool:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return True
    try:
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.verify()  # structure and checksums
        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.load()  # every pixel decodes (a truncated image fails here)
        return True
    except Exception:
        return False
    finally:
        fileobj.seek(0)


def _pdf_complete(fileobj) -> bool:
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(size - 2048, 0))
    tail = fileobj.read()
    fileobj.seek(0)
    return b"%%EOF" in tail


def scan_is_whole(fileobj, kind: str) -> bool:
    """A PDF ends with %%EOF (within its last 2 KB); a PNG or JPEG decodes fully.
    The strict check of scans (licences, objection statements); other kinds pass."""
    if kind == "pdf":
        return _pdf_complete(fileobj)
    if kind in ("png", "jpg"):
        return _image_decodes(fileobj)
    return True
