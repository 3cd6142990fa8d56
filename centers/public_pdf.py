"""Public PDFs served from a stored file: rendered once per content, then read from storage.

The file name holds a digest of everything the PDF is made of (the template context: the
notice's and its items' stored fields, the period flags), so a changed notice gets a new
file and an unchanged one is never rendered again.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Model

FOLDER = "public-pdf"


def _fingerprint(value):
    if isinstance(value, Model):
        return [type(value).__name__] + sorted(
            (k, repr(v)) for k, v in vars(value).items() if not k.startswith("_")
        )
    if isinstance(value, dict):
        return sorted((str(k), _fingerprint(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [_fingerprint(v) for v in value]
    return repr(value)


def stored(name: str, context: dict, render):
    """An open file of the PDF ``render()`` makes from ``context``; rendered when missing."""
    digest = hashlib.sha256(repr(_fingerprint(context)).encode()).hexdigest()[:24]
    path = f"{FOLDER}/{name}-{digest}.pdf"
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(render()))
        if saved != path:  # another request stored it at the same moment
            default_storage.delete(saved)
    return default_storage.open(path, "rb")


def chunks(stored_file):
    """The bytes of an open stored file, piece by piece; the file is closed at the end."""
    with stored_file:
        yield from stored_file.chunks()
