"""PDF rendering with WeasyPrint.

``render_pdf(template_name, context, request=None) -> bytes`` renders a Django
template to PDF. Templates include ``documents/_fonts.html`` (or extend
``documents/official_base.html``) to get the shipped, embedded CJK fonts.

Resources are fetched only from local files under the static directories and
the deployment's font directory (and data: URIs); anything else (http, other
paths) fails the rendering instead of being fetched, so user-supplied text can
never make the renderer reach the network or read arbitrary files.

The template is rendered here; WeasyPrint runs in a short-lived child process
(documents.pdf_process), so a web or Celery worker that served a PDF does not keep
WeasyPrint, Pango and the CJK fonts in its memory.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import fonts, pdf_process
from .pdf_process import DocumentRenderError, html_text

__all__ = ["DocumentRenderError", "html_text", "render_official_document", "render_pdf"]

logger = logging.getLogger(__name__)


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "static", fonts.SHIPPED_DIR.parent.parent]
    roots += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    directory = fonts.override_dir()
    if directory is not None:
        roots.append(directory)
    roots.append(fonts.cache_dir())
    return [root.resolve() for root in roots]


def official_document_context(
    *,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    supersedes_number: str = "",
    verification: dict | None = None,
) -> dict:
    """The ``document`` variable that documents/official_base.html reads.

    ``verification`` (code, url, qr: see documents.verification.verification_context) prints
    the verification block; only issued documents have one.
    """
    issued_on = issued_on or timezone.localdate()
    return {
        "number": number,
        "title": title,
        "issued_on": issued_on,
        "issued_on_cn": f"{issued_on.year}年{issued_on.month}月{issued_on.day}日",
        "issuing_authority": settings.ST_DEPARTMENT_NAME,
        "supersedes_number": supersedes_number,
        "verification": verification,
    }


def render_official_document(
    template_name: str,
    context: dict,
    *,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    request=None,
) -> bytes:
    """Render a template extending documents/official_base.html (red header, GB/T 9704-2012).

    Official documents are always in Chinese, whatever the user's interface language.
    Nothing is stored: use documents.services.issue_document for an issued, numbered record.
    """
    document = official_document_context(title=title, number=number, issued_on=issued_on)
    with translation.override("zh-hans"):
        return render_pdf(template_name, {**context, "document": document}, request=request)


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """Render a Django template to PDF bytes: the template here, the PDF in a child process
    (documents.pdf_process), so that WeasyPrint's memory never stays in this one."""
    html = render_to_string(template_name, context, request=request)
    try:
        pdf, missing = pdf_process.render(
            html,
            base_url=(Path(settings.BASE_DIR) / "static").as_uri() + "/",
            roots=[str(root) for root in _allowed_roots()],
            font=str(fonts.font_file("fangsong")),
        )
    except DocumentRenderError as error:
        raise DocumentRenderError(f"{template_name}: {error}") from error
    if missing:
        # Drawn by a system fallback font if the machine has one, else as boxes.
        logger.warning(
            "Characters not in the document body font in %s: %s", template_name, "".join(missing)
        )
    return pdf
