"""Helpers of the official-document layout (documents/official_base.html)."""

from django import template

register = template.Library()

# Character pitch of the body: 156 mm type area / 28 characters, in points.
CHAR_PITCH_PT = 156 / 25.4 * 72 / 28
SEAL_DIAMETER_PT = 42 / 25.4 * 72


def em_width(text: str) -> float:
    """Width of ``text`` in body characters: half-width for ASCII, full for the rest."""
    return sum(0.5 if ord(char) < 0x80 else 1.0 for char in text)


@register.simple_tag
def signature_layout(authority: str, date_text: str) -> dict:
    """Positions (points from the right edge of the type area) of the signature block.

    GB/T 9704-2012 7.3.5.1: the date is right-aligned four characters in; the
    issuing authority is centred over the date; the seal sits over both.
    """
    date_right = 4 * CHAR_PITCH_PT
    date_centre = date_right + em_width(date_text) * CHAR_PITCH_PT / 2
    authority_right = max(0.0, date_centre - em_width(authority) * CHAR_PITCH_PT / 2)
    seal_right = max(0.0, date_centre - SEAL_DIAMETER_PT / 2)
    return {
        "date_right": f"{date_right:.2f}pt",
        "authority_right": f"{authority_right:.2f}pt",
        "seal_right": f"{seal_right:.2f}pt",
    }
