"""Rows of the registry exports (CSV, JSON), read in chunks: never the whole table at once.

Plain values from one query per chunk of centers (no model instances, no JSON columns
decoded), the former names of the chunk in one more query, and the choice labels
translated once per export instead of lazily on every row.
"""

from __future__ import annotations

from itertools import islice

from .models import Center, CenterName

CHUNK = 500
FIELDS = (
    "pk",
    "number",
    "name",
    "kind",
    "industry_field__name",
    "lead_organization__verified_name",
    "lead_organization__name",
    "city__name",
    "designated_on",
    "status",
)


def _labels(field: str) -> dict[str, str]:
    return {value: str(label) for value, label in Center._meta.get_field(field).choices}


def _former_names(ids) -> dict[int, list]:
    names: dict[int, list] = {}
    rows = (
        CenterName.objects.filter(center_id__in=ids, valid_to__isnull=False)
        .order_by("center_id", "valid_from", "pk")
        .values_list("center_id", "name", "valid_from", "valid_to")
    )
    for center_id, name, valid_from, valid_to in rows:
        names.setdefault(center_id, []).append((name, valid_from, valid_to))
    return names


def rows(centers):
    """Dicts for the export of ``centers`` (a registry queryset), in its order."""
    kinds, statuses = _labels("kind"), _labels("status")
    values = (
        centers.select_related(None).prefetch_related(None).values_list(*FIELDS).iterator(CHUNK)
    )
    while chunk := list(islice(values, CHUNK)):
        former = _former_names([row[0] for row in chunk])
        for pk, number, name, kind, field, verified, org_name, city, designated, status in chunk:
            names = former.get(pk, [])
            yield {
                "number": number,
                "name": name,
                "former_names": [n for n, _f, _t in names],
                # each former name with the days it was in use (approved renames, Art. 15)
                "former_names_dated": [
                    {
                        "name": n,
                        "valid_from": f.isoformat(),
                        "valid_to": t.isoformat() if t else None,
                    }
                    for n, f, t in names
                ],
                "kind": kinds.get(kind, kind),
                "industry_field": field or "",
                # the lead organization's verified name: a rename is public once verified
                "lead_organization": verified or org_name,
                "city": city or "",
                "designated_on": designated.isoformat(),
                "status": statuses.get(status, status),
            }
