"""Template builtins (no ``{% load %}`` needed) for display in the active language.

``{{ day|local_date }}`` 2026年3月5日 / 5 March 2026; ``{% colon %}`` after a label (： / ": ");
``{% punct "，" %}`` a Chinese punctuation mark or its English form;
``{{ text|paren }}`` （text） / " (text)"; ``{{ row|localized }}`` a reference-data row's name in
the active language, marked ``lang="zh-Hans"`` on an English page when it has no English name;
``{{ app|label:"status" }}`` what ``app.get_status_display`` gives, for the rows of a list.
"""

from django import template
from django.utils.encoding import force_str
from django.utils.html import format_html, format_html_join

from documents import languages

register = template.Library()
_CHOICES: dict = {}  # model field -> {value: label}, made once per field


@register.filter
def label(obj, name: str):
    """``obj.get_<name>_display()``: the label of the field's choice in the active language.
    Django's method rebuilds the field's whole choice list on every call, hashing each lazy
    label (a translation each): in a list that is the choices times the rows. Here the
    field's ``{value: label}`` is made once and one label is translated per call."""
    if obj is None or obj == "":
        return ""  # as a missing object's get_<name>_display renders in a template
    field = obj._meta.get_field(name)
    choices = _CHOICES.get(field)
    if choices is None:
        choices = _CHOICES[field] = dict(field.flatchoices)
    value = getattr(obj, field.attname)
    return force_str(choices.get(value, value), strings_only=True)


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
