"""Every admin changelist (a walk over admin.site._registry, so new admins are covered) runs
as many queries for many rows as for one: foreign keys come with list_select_related."""

from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# the main models must have rows to compare (the demo data and the province generator's)
MUST_COVER = {
    "applications.application",
    "audit.auditevent",
    "centers.center",
    "reviews.expertprofile",
    "accounts.user",
    "accounts.organization",
}


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx)


def test_every_changelist_has_flat_query_counts(superuser_client):
    covered, growing = set(), {}
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:30])
        if len(pks) < 2:
            _queries(superuser_client, url, {})  # at least it renders
            continue
        lookup = f"{meta.pk.name}__in"
        one = _queries(superuser_client, url, {lookup: str(pks[0])})
        many = _queries(superuser_client, url, {lookup: ",".join(map(str, pks))})
        covered.add(meta.label_lower)
        if many > one:
            growing[meta.label_lower] = (one, many, len(pks))
    assert not growing, f"queries grow with the rows (one, many, rows): {growing}"
    assert MUST_COVER <= covered, MUST_COVER - covered
    print(f"changelists compared at 1 and many rows: {len(covered)} of {len(admin.site._registry)}")
