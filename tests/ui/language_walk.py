"""Walk the demo's pages with the Django test client and find text in the wrong language.

``walk(client, start)`` follows the links of every HTML page (breadth first, bounded per view,
the crawler's skip rules) and yields (path, html). ``foreign_text(html, language, allowed)``
returns the visible text nodes of a page that are in the other language:

- English mode: a text node with a Han character, once the user's own data (``allowed``: the
  strings stored in the database, see ``stored_strings``) is removed from it. Elements marked
  ``lang="zh-Hans"`` (reference data that has no English name, the language switch) and
  ``translate="no"`` (names) are not interface text and are skipped with their content.
- Chinese mode: a Latin word outside a short allow-list (formats, abbreviations), once stored
  strings are removed; elements marked ``lang="en"`` are skipped.

The allow-list of stored strings is honest because interface strings are never stored: the
reference data that has an English name (industry fields, strategic areas, cities, criteria)
is left out of it (``REFERENCE_FIELDS``), so an English page that shows its Chinese name fails.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
SKIP_PATH = re.compile(
    r"^/(accounts/logout|i18n/|admin/|static/|media/)|/(delete|history)/$"
    r"|(\.(pdf|csv|json|xlsx|zip|atom|xml)$|/(download|export|pdf|file|files)/)"
)
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
INVISIBLE = {"script", "style", "template", "title", "head", "noscript", "svg"}
PROJECT_APPS = {
    "accounts", "applications", "reviews", "centers", "evaluations", "workdays", "audit",
    "documents", "notifications", "numbering",
}  # fmt: skip
# Reference data with an English name: its Chinese name is interface text, not user data.
REFERENCE_FIELDS = {
    ("centers", "industryfield", "name"),
    ("centers", "strategicarea", "name"),
    ("accounts", "city", "name"),
    ("reviews", "criterion", "name"),
    ("reviews", "criterion", "description"),
}


class _Text(HTMLParser):
    """The visible text nodes of a page, minus skipped elements."""

    def __init__(self, skip_lang: str):
        super().__init__(convert_charrefs=True)
        self.skip_lang = skip_lang
        self.stack: list[tuple[str, bool]] = []  # (tag, skipping)
        self.nodes: list[str] = []
        self.attr_texts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = (
            self._skipping()
            or tag in INVISIBLE
            or (a.get("lang") or "").lower() == self.skip_lang
            or a.get("translate") == "no"
            or "hidden" in a
            or "d-none" in (a.get("class") or "").split()
        )
        if not skip:
            # Text a user reads or hears that is not a text node.
            for name in ("placeholder", "aria-label", "title", "alt"):
                if a.get(name):
                    self.attr_texts.append(a[name])
            if tag == "input" and a.get("type") in {"submit", "button"} and a.get("value"):
                self.attr_texts.append(a["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.nodes.append(" ".join(data.split()))


def title_of(html: str) -> str:
    m = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join(m.group(1).split()) if m else ""


def text_nodes(html: str, skip_lang: str) -> list[str]:
    parser = _Text(skip_lang)
    parser.feed(html)
    return parser.nodes + parser.attr_texts + [title_of(html)]


# Keys of stored JSON whose strings are interface text written with the data (the label of an
# audit event or of a standard target, a unit, a state label): pages must show them translated.
INTERFACE_KEYS = {"label", "from_label", "to_label", "unit"}


def _strings(value):
    """The user's strings in a stored value (JSON walked; interface keys left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in INTERFACE_KEYS:
                yield from _strings(item)


def stored_strings() -> list[str]:
    """Every string stored in the project's tables (user data), longest first; reference data
    that has an English name is left out."""
    values: set[str] = set()
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in PROJECT_APPS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
            and (label, model._meta.model_name, f.name) not in REFERENCE_FIELDS
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                for text in _strings(value):
                    if HAN.search(text):
                        values.add(text.strip())
                        values.update(line.strip() for line in text.splitlines() if line.strip())
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        values.update(filter(None, [user.get_full_name(), user.last_name, user.first_name]))
    return sorted(values, key=len, reverse=True)


def strip_stored(text: str, stored: list[str]) -> str:
    for value in stored:
        if value in text:
            text = text.replace(value, " ")
    return text


# Latin words a Chinese page may show: formats, abbreviations, product names.
ALLOWED_WORDS = {
    "PDF", "CSV", "JSON", "XLSX", "ZIP", "ID", "URL", "E", "mail", "Email", "e-mail",
    "SQ", "SXTIC", "GB", "GB/T", "Django", "R&D", "OK", "Atom", "RSS", "QR", "Excel",
    "English", "m", "m²", "SHA", "No", "AI", "IT", "admin", "MB", "KB", "JPG", "PNG", "jpg", "png",
    "Microsoft", "Google", "Authenticator", "FreeOTP", "Word", "doc", "docx", "xls", "xlsx",
}  # fmt: skip
WORD = re.compile(r"(?<![A-Za-z0-9_@.\-])[A-Za-z][A-Za-z\-]*[A-Za-z](?![A-Za-z0-9_@])")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|/[\w/\-.?=&]+")


def foreign_text(html: str, language: str, stored: list[str], usernames=()) -> list[str]:
    """The visible text of ``html`` that is in the other language than ``language``."""
    found = []
    if language == "en":
        for node in text_nodes(html, "zh-hans"):
            if HAN.search(strip_stored(node, stored)):
                found.append(node)
    else:
        for node in text_nodes(html, "en"):
            cleaned = EMAIL_OR_URL.sub(" ", strip_stored(node, stored))
            words = [w for w in WORD.findall(cleaned) if w not in ALLOWED_WORDS]
            if [w for w in words if w not in usernames]:
                found.append(node)
    return found


def view_key(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def walk(client, start="/", per_view=2, limit=80):
    """(path, html) of the HTML pages reachable from ``start`` through links."""
    seen, counts = set(), {}
    queue = deque([start])
    while queue and len(seen) < limit * 3:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        key = view_key(urlsplit(path).path)
        if counts.get(key, 0) >= per_view or sum(counts.values()) >= limit:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        counts[key] = counts.get(key, 0) + 1
        html = response.content.decode()
        yield path, html
        for href in re.findall(r'<a\s[^>]*href="([^"#][^"]*)"', html):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if SKIP_PATH.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
