"""Template builtins (no ``{% load %}`` needed) for display in the active language.

``{{ day|local_date }}`` 2026年3月5日 / 5 March 2026; ``{% colon %}`` after a label (： / ": ");
``{% punct "，" %}`` a Chinese punctuation mark or its English form;
``{{ text|paren }}`` （text） / " (text)"; ``{{ row|localized }}`` a reference-data row's name in
the active language, marked ``lang="zh-Hans"`` on an English page when it has no English name.
"""

from django import template
from django.utils.html import format_html, format_html_join

from documents import languages

register = template.Library()


@register.filter
def local_date(value):
    return languages.local_date(value)


@register.simple_tag
def colon():
    return languages.colon()


@register.simple_tag
def punct(mark):
    """``{% punct "（" %}``: the Chinese mark, or its English form (" (") in English."""
    return languages.punct(mark)


@register.filter
def paren(value):
    return languages.paren(value) if value not in (None, "") else ""


@register.filter
def localized(row):
    """The name of a reference-data row (``LocalizedName``) in the active language."""
    if row is None or row == "":
        return ""
    if getattr(row, "lacks_english", False):
        return format_html('<span lang="zh-Hans">{}</span>', row.name)
    return str(row)


@register.filter
def join_punct(values, mark):
    """``{{ list|join_punct:"、" }}``: joined with a Chinese mark, or its English form."""
    return format_html_join(languages.punct(mark), "{}", ((value,) for value in values))


@register.simple_tag
def zh_lang():
    """`` lang="zh-Hans"`` on an English page, for an element that shows Chinese anyway
    (frozen records, reference data without an English name); nothing on a Chinese page."""
    return "" if languages.is_chinese() else format_html(' lang="{}"', "zh-Hans")
