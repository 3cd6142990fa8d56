"""Read-only display of a frozen plan version on the review side.

The plan sections are rendered by the applicant side's ``versions.display_version`` and
``applications/_plan_display.html``; the review page adds the basics the version froze.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from centers.models import CenterKind

ORG_TYPES = dict(Organization.Type.choices)
KINDS = dict(CenterKind.choices)


def basics(data: dict) -> list[tuple]:
    """(label, value) rows of the basics of a version (name, kind, field, lead organization)."""
    data = data or {}
    org = data.get("organization") or {}
    field = data.get("industry_field") or {}
    return [
        (_("Full name"), data.get("full_name") or ""),
        (_("Kind"), KINDS.get(data.get("kind"), data.get("kind") or "")),
        (_("Industry field"), field.get("name") or ""),
        (_("Strategic areas"), "、".join(data.get("strategic_areas") or [])),
        (_("Lead organization"), org.get("name") or ""),
        (_("Unified social credit code"), org.get("credit_code") or ""),
        (_("Organization type"), ORG_TYPES.get(org.get("org_type"), org.get("org_type") or "")),
        (_("City"), org.get("city") or ""),
        (_("Organizing department"), data.get("department") or ""),
    ]


def version_display(version) -> list[dict]:
    """Every section of a version in the shape of ``applications/_plan_display.html``:
    the basics first, then the plan sections (``applications.versions.display_version``)."""
    from .versions import display_version

    first = {"code": "basics", "title": _("Basics"), "fields": basics(version.data), "tables": []}
    return [first, *display_version(version)]
