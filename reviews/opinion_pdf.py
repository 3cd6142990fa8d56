"""The panel opinion (专家组论证意见) as a PDF: its context and its rendering.

Before the conclusion it is rendered on demand as a draft; once the panel is concluded it is
issued once as two ``IssuedDocument`` records with a verification code
(``reviews/services/opinion_documents.py``): the full copy (experts' names and scores, for the
office and the panel) and the applicant's copy without them (DESIGN §2.2).
"""

from __future__ import annotations

from django.template.loader import select_template
from django.utils import translation

from reviews import selectors
from reviews.models import PanelMember

TEMPLATE = "reviews/opinion_pdf.html"


def fonts_template() -> str | None:
    try:
        return select_template(["documents/_fonts.html"]).template.name
    except Exception:
        return None


def opinion_pdf_context(panel, *, confidential: bool = False) -> dict:
    members = [m for m in selectors.panel_members(panel) if m.status in PanelMember.ACTIVE]
    composition = [
        (label, n)
        for value, label in PanelMember._meta.get_field("kind").choices
        if (n := sum(1 for m in members if m.kind == value))
    ]
    return {
        "panel": panel,
        "confidential": confidential,
        "app": panel.application,
        "version": selectors.scored_version(panel),
        "members": members,
        "composition": composition,
        "result": selectors.panel_result(panel),
        "points": selectors.points_of(panel),
        "fonts_template": fonts_template(),
    }


def render_opinion_pdf(panel, *, request=None, confidential: bool = False) -> bytes:
    """The panel opinion rendered now (not stored, no verification code), always in Chinese.

    ``confidential``: the applicant's copy, without the experts' names and scores.
    """
    from documents.pdf import render_pdf

    with translation.override("zh-hans"):
        return render_pdf(
            TEMPLATE, opinion_pdf_context(panel, confidential=confidential), request=request
        )
