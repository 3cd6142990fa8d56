"""PDF rendering with WeasyPrint.

``render_pdf(template_name, context, request=None) -> bytes`` renders a Django
template to PDF. Templates include ``documents/_fonts.html`` (or extend
``documents/official_base.html``) to get the shipped, embedded CJK fonts.

Resources are fetched only from local files under the static directories and
the deployment's font directory (and data: URIs); anything else (http, other
paths) fails the rendering instead of being fetched, so user-supplied text can
never make the renderer reach the network or read arbitrary files.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import fonts

logger = logging.getLogger(__name__)

# WeasyPrint logs every rendering step at INFO; keep that out of the application log
# unless the deployment configured these loggers itself.
for _name in ("weasyprint.progress", "fontTools"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.WARNING)

_TAG_RE = re.compile(r"<(style|script)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)


class DocumentRenderError(RuntimeError):
    """The document could not be rendered as asked (a resource is missing or forbidden)."""


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


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    raise DocumentRenderError(f"Resource outside the allowed directories: {path}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


def html_text(html: str) -> str:
    """The visible text of rendered HTML, roughly (tags, styles and scripts dropped)."""
    return _TAG_RE.sub(" ", html)


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
    """Render a Django template to PDF bytes."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = render_to_string(template_name, context, request=request)
    missing = fonts.missing_characters(html_text(html))
    if missing:
        # Drawn by a system fallback font if the machine has one, else as boxes.
        logger.warning(
            "Characters not in the document body font in %s: %s", template_name, "".join(missing)
        )
    document = HTML(
        string=html,
        base_url=(Path(settings.BASE_DIR) / "static").as_uri() + "/",
        url_fetcher=_url_fetcher(),
    )
    try:
        return document.write_pdf()
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint
        cause = error.__cause__ or error
        raise DocumentRenderError(f"{template_name}: {error} ({cause})") from cause
