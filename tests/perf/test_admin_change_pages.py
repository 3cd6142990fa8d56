"""Every admin change page (a walk over admin.site._registry, like the changelist walk) keeps
its size when the province grows: no select lists every row of a big table (the choices of a
foreign key or many-to-many field come by autocomplete or a raw id), and no inline row costs
its own queries (the same statement, with other ids, never runs again and again)."""

import re
from collections import Counter

from django.contrib import admin
from django.db import connection
from django.db.models import Count
from django.forms.models import _get_foreign_key
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# the change pages that must have a row to show (the demo data and the province generator's)
MUST_COVER = {
    "accounts.user",
    "accounts.organization",
    "applications.application",
    "centers.center",
    "centers.meeting",
    "centers.publicitynotice",
    "reviews.expertprofile",
}
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


def _richest(model, model_admin):
    """The row with the most inline rows (the first when the admin has no inlines), and how
    many inline rows it has."""
    rows = model._default_manager.order_by("pk")
    counts = []
    for inline in model_admin.inlines:
        fk = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        counts.append(Count(fk.remote_field.get_accessor_name() or fk.related_query_name()))
    if counts:
        rows = rows.annotate(**{f"_n{i}": c for i, c in enumerate(counts)}).order_by(
            *[f"-_n{i}" for i in range(len(counts))], "pk"
        )
    obj = rows.first()
    return obj, sum(getattr(obj, f"_n{i}", 0) for i in range(len(counts)))


def _walk(client) -> dict:
    pages = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        obj, inline_rows = _richest(model, model_admin)
        if obj is None:
            continue
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        shapes = Counter(_LITERALS.sub("?", q["sql"]) for q in ctx.captured_queries)
        pages[meta.label_lower] = {
            "options": response.content.count(b"<option"),
            "queries": len(ctx),
            # with n >= 3 inline rows, no statement may run n times (once per row)
            "repeated": {
                sql[:160]: n for sql, n in shapes.items() if inline_rows >= 3 and n >= inline_rows
            },
            "inline_rows": inline_rows,
        }
    return pages


def test_change_pages_keep_their_size_as_the_province_grows(superuser_client):
    from bench.generate import build

    before = _walk(superuser_client)
    assert MUST_COVER <= set(before), MUST_COVER - set(before)
    assert before["centers.meeting"]["inline_rows"] >= 3  # the check has rows to count
    repeated = {label: page["repeated"] for label, page in before.items() if page["repeated"]}
    assert not repeated, f"the same statement runs for every inline row: {repeated}"
    build(scale=0.0005, prefix="G", quiet=True)  # more organizations, users, plans, centers
    after = _walk(superuser_client)
    grown = {
        label: (before[label]["options"], page["options"])
        for label, page in after.items()
        if label in before and page["options"] > before[label]["options"]
    }
    assert not grown, f"a select lists every row (options before, after): {grown}"
    print(f"change pages compared before and after growing: {len(before)}")
