"""{% document_font_faces %}: @font-face rules of the document fonts (absolute file URIs)."""

from django import template
from django.utils.safestring import mark_safe

from documents.fonts import font_face_css

register = template.Library()


@register.simple_tag
def document_font_faces():
    # Built from fixed family names and file paths resolved on this machine: no user input.
    return mark_safe(font_face_css())  # noqa: S308  # nosec B308 B703
