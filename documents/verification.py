"""Verification of issued documents: the code and QR code printed on every issued PDF.

Every document issued through ``documents.services.issue_document`` gets a random code of 16
characters (Crockford's base32: no I, L, O or U; 80 bits) before it is rendered; the PDF prints
the code, the address of the public page ``verify:document`` and a QR code of that address.
The page shows only what the document itself says publicly (number, title, date, issuer) and
the SHA-256 of the stored file; an uploaded copy is genuine when its SHA-256 is the stored one.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.conf import settings
from django.urls import reverse

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_SEPARATORS = re.compile(r"[\s\-‐‑–—_]+")
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code: str) -> str | None:
    """The stored form of a typed or scanned code (case, dashes, spaces, I/L/O forgiven),
    or None when it cannot be a code."""
    value = _SEPARATORS.sub("", str(code or "")).upper().translate(_CONFUSABLE)
    if len(value) != CODE_LENGTH or any(char not in ALPHABET for char in value):
        return None
    return value


def display(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: four groups of four, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4)) if code else ""


def verify_path(code: str) -> str:
    return reverse("verify:document", kwargs={"code": display(code)})


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + verify_path(code)


def qr_data_uri(text: str) -> str:
    """An SVG QR code of ``text`` as a data: URI (the PDF renderer fetches only data: and
    local files). Error correction M, no border beyond the quiet zone of 2 modules."""
    import segno

    svg = segno.make_qr(text, error="m").svg_inline(scale=4, border=2, dark="#000")
    encoded = base64.b64encode(svg.encode()).decode()
    return f"data:image/svg+xml;base64,{encoded}"


def verification_context(code: str) -> dict:
    """The ``document.verification`` variable that documents/official_base.html prints."""
    url = verify_url(code)
    return {"code": display(code), "url": url, "qr": qr_data_uri(url)}


def file_sha256(fileobj, chunk_size: int = 64 * 1024) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(chunk_size), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()
