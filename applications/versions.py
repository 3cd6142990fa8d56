"""Frozen versions of a plan: numbering, freezing and comparing (DESIGN §2.1).

``on_submitted(app, actor, transition)`` is what ``applications.hooks.after_transition``
calls for ``submit``, ``resubmit`` and ``submit_improved``: it assigns the
application number at the first submission, stamps ``submitted_at`` and
freezes a version. It is idempotent per transition call (``app._frozen_version``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from numbering import services as numbering
from numbering.models import APPLICATION

from . import sections
from .models import ATTACHMENT_LABELS, Application, ApplicationVersion, Attachment

SUBMIT_TRANSITIONS = {
    "submit": ApplicationVersion.Reason.SUBMIT,
    "resubmit": ApplicationVersion.Reason.RESUBMIT,
    "submit_improved": ApplicationVersion.Reason.IMPROVED,
}
NUMBER_PREFIX = "SQ"


def next_number(year: int) -> str:
    """The next application number of the year, e.g. SQ2026-0001 (race-safe: row lock)."""
    return f"{NUMBER_PREFIX}{year}-{numbering.take(APPLICATION, year):04d}"


def snapshot(application: Application) -> dict:
    """The version ``data`` of an application as it is now."""
    org = application.organization
    field = application.industry_field
    return {
        "name": application.name,
        "full_name": application.full_name,
        "kind": application.kind,
        "industry_field": {"code": field.code, "name": field.name} if field else None,
        "strategic_areas": [a.name for a in application.strategic_areas.order_by("order", "pk")],
        "organization": {
            "name": org.name,
            "credit_code": org.credit_code,
            "org_type": org.org_type,
            "city": org.registered_city.name if org.registered_city_id else "",
        },
        "department": application.department.name,
        "plan": application.plan or {},
    }


def active_attachments(application: Application):
    return Attachment.objects.filter(application=application, removed_at__isnull=True).order_by(
        "kind", "uploaded_at", "pk"
    )


def attachments_snapshot(application: Application) -> list[dict]:
    return [
        {"id": a.pk, "kind": a.kind, "name": a.name, "size": a.size, "sha256": a.sha256}
        for a in active_attachments(application)
    ]


def freeze_version(application: Application, *, actor, reason: str) -> ApplicationVersion:
    """Create the next immutable version of ``application`` (data and attachments as they are)."""
    with transaction.atomic():
        last = (
            ApplicationVersion.objects.filter(application=application)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return ApplicationVersion.objects.create(
            application=application,
            number=(last or 0) + 1,
            data=snapshot(application),
            attachments=attachments_snapshot(application),
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def grant_department_access(application: Application) -> None:
    """The organizing department's group sees and reviews the plan routed to it (idempotent)."""
    from guardian.shortcuts import assign_perm

    group = application.department.group
    if group is not None:
        assign_perm("applications.view_application", group, application)
        assign_perm("applications.review_application", group, application)


def on_submitted(app: Application, actor, transition: str) -> ApplicationVersion | None:
    """Numbering + freezing after submit / resubmit / submit_improved (call inside the transaction)."""
    reason = SUBMIT_TRANSITIONS.get(transition)
    if reason is None:
        return None
    frozen = getattr(app, "_frozen_version", None)
    if frozen is not None:
        return frozen
    now = timezone.now()
    updates = {}
    if not app.number:
        updates["number"] = next_number(timezone.localtime(now).year)
    if transition in ("submit", "resubmit"):
        updates["submitted_at"] = now
    if updates:
        Application.objects.filter(pk=app.pk).update(**updates)
        for key, value in updates.items():
            setattr(app, key, value)
    grant_department_access(app)
    app._frozen_version = freeze_version(app, actor=actor, reason=reason)
    return app._frozen_version


# ---- comparing two versions ------------------------------------------------

BASICS_LABELS = [
    ("full_name", _("Center name")),
    ("kind", _("Kind of center")),
    ("industry_field", _("Industry field")),
    ("strategic_areas", _("Strategic areas")),
    ("department", _("Organizing department")),
]
KIND_LABELS = {"comprehensive": _("Comprehensive"), "domain": _("Domain")}


def _basics_value(data: dict, key: str) -> str:
    value = data.get(key)
    if key == "kind":
        return KIND_LABELS.get(value, value or "")
    if key == "industry_field":
        return (value or {}).get("name", "") if isinstance(value, dict) else ""
    if key == "strategic_areas":
        return "、".join(value or [])
    return "" if value is None else str(value)


def _row_identity(spec, row: dict) -> tuple:
    return tuple(str(row.get(k) or "") for k in spec.identity)


def _row_text(spec, row: dict) -> str:
    return "；".join(
        f"{c.label}：{c.display(row.get(c.key))}"
        for c in spec.columns
        if row.get(c.key) not in (None, "")
    )


def compare(old: ApplicationVersion, new: ApplicationVersion) -> list[dict]:
    """What changed from ``old`` to ``new``, section by section (only changed sections).

    Each entry: {"code", "title", "fields": [{"label","old","new"}], "lists": [{"label",
    "added": [text], "removed": [text], "changed": [{"row", "changes": [{"label","old","new"}]}]}]}.
    """
    out = []
    a, b = old.data or {}, new.data or {}
    basics = [
        {"label": label, "old": _basics_value(a, key), "new": _basics_value(b, key)}
        for key, label in BASICS_LABELS
        if _basics_value(a, key) != _basics_value(b, key)
    ]
    if basics:
        out.append(
            {"code": "basics", "title": sections.BASICS.title, "fields": basics, "lists": []}
        )
    plan_a, plan_b = a.get("plan") or {}, b.get("plan") or {}
    for section in sections.PLAN_SECTIONS:
        sa, sb = plan_a.get(section.code) or {}, plan_b.get(section.code) or {}
        fields = []
        for f in section.fields:
            va, vb = (
                f.display(sections.get_path(sa, f.key)),
                f.display(sections.get_path(sb, f.key)),
            )
            if va != vb:
                fields.append({"label": f.label, "old": va, "new": vb})
        lists = []
        for spec in section.lists:
            rows_a, rows_b = sections.rows(sa, spec), sections.rows(sb, spec)
            by_a = {_row_identity(spec, r): r for r in rows_a}
            by_b = {_row_identity(spec, r): r for r in rows_b}
            added = [_row_text(spec, r) for k, r in by_b.items() if k not in by_a]
            removed = [_row_text(spec, r) for k, r in by_a.items() if k not in by_b]
            changed = []
            for k, rb in by_b.items():
                ra = by_a.get(k)
                if ra is None:
                    continue
                diffs = []
                for c in spec.columns:
                    ca, cb = c.display(ra.get(c.key)), c.display(rb.get(c.key))
                    if ca != cb:
                        diffs.append({"label": c.label, "old": ca, "new": cb})
                if diffs:
                    row_name = (
                        rb.get("label")
                        or rb.get("name")
                        or rb.get("title")
                        or sections.STANDARD_LABELS.get(rb.get("key"))
                        or "／".join(k)
                    )
                    changed.append({"row": row_name, "changes": diffs})
            if added or removed or changed:
                lists.append(
                    {"label": spec.label, "added": added, "removed": removed, "changed": changed}
                )
        if fields or lists:
            out.append(
                {"code": section.code, "title": section.title, "fields": fields, "lists": lists}
            )
    att_a = {x["id"]: x for x in old.attachments or []}
    att_b = {x["id"]: x for x in new.attachments or []}

    def att_text(x):
        return f"{ATTACHMENT_LABELS.get(x['kind'], x['kind'])}：{x['name']}"

    added = [att_text(x) for i, x in att_b.items() if i not in att_a]
    removed = [att_text(x) for i, x in att_a.items() if i not in att_b]
    if added or removed:
        out.append(
            {
                "code": "attachments",
                "title": sections.ATTACHMENTS.title,
                "fields": [],
                "lists": [
                    {"label": _("Attachments"), "added": added, "removed": removed, "changed": []}
                ],
            }
        )
    return out


def display_version(version: ApplicationVersion) -> list[dict]:
    """Read-only rendering of every plan section of a version (see sections.display)."""
    kind = (version.data or {}).get("kind") or "domain"
    plan = (version.data or {}).get("plan") or {}
    return [sections.display(s, plan, kind) for s in sections.PLAN_SECTIONS]
