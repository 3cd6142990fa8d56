"""The public registry of designated centers: list, filters, one page per center, CSV and JSON."""

import json

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from documents.csv_export import csv_lines

from . import public_cache, registry_export, selectors, selectors_changes
from .forms import RegistryFilterForm

CSV_TYPE = "text/csv; charset=utf-8"
EXPORT_COLUMNS = [
    ("number", "中心编号"),
    ("name", "中心名称"),
    ("former_names", "曾用名"),
    ("former_name_periods", "曾用名使用期间"),
    ("kind", "类别"),
    ("industry_field", "产业领域"),
    ("lead_organization", "牵头单位"),
    ("city", "所在市"),
    ("designated_on", "认定日期"),
    ("status", "状态"),
]


def _filtered(request):
    form = RegistryFilterForm(request.GET or None)
    return form, selectors.registry(**form.filters())


@public_cache.cached_page
def registry_list(request):
    form, centers = _filtered(request)
    page = Paginator(centers, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "centers/registry/list.html",
        {"form": form, "page": page, "centers": page.object_list, "query": query.urlencode()},
    )


@public_cache.cached_page
def registry_detail(request, number):
    center = selectors.registry_center(number=number)
    notices = selectors.designation_notices(center)
    downloadable = selectors.downloadable_document_ids(user=request.user, documents=notices)
    for doc in notices:
        doc.can_download = doc.pk in downloadable
    return render(
        request,
        "centers/registry/detail.html",
        {
            "center": center,
            "notices": notices,
            # public: only applied (approved) changes; the staff pages link from here
            "history": selectors_changes.applied_changes(center),
            "may_see_changes": selectors_changes.centers_visible_to(request.user)
            .filter(pk=center.pk)
            .exists(),
        },
    )


def _csv_cells(rows):
    yield [label for _key, label in EXPORT_COLUMNS]
    for row in rows:
        row["former_names"] = "；".join(row["former_names"])
        row["former_name_periods"] = "；".join(
            f"{n['valid_from']}至{n['valid_to']}" for n in row.pop("former_names_dated")
        )
        yield [row[key] for key, _label in EXPORT_COLUMNS]


def registry_csv(request):
    stamp = timezone.localdate().strftime("%Y%m%d")

    def produce():
        _form, centers = _filtered(request)
        return csv_lines(_csv_cells(registry_export.rows(centers)))

    return public_cache.download(
        request,
        "csv",
        produce,
        CSV_TYPE,
        f'attachment; filename="sxtic-registry-{stamp}.csv"',
    )


def _json_chunks(centers):
    """The JSON document piece by piece: the count first, then one center per line."""
    head = {"generated_on": timezone.localdate().isoformat(), "count": centers.count()}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "centers": ['
    for i, row in enumerate(registry_export.rows(centers)):
        yield (",\n " if i else "\n ").encode() + json.dumps(row, ensure_ascii=False).encode()
    yield b"\n]}\n"


def registry_json(request):
    return public_cache.download(
        request,
        "json",
        lambda: _json_chunks(_filtered(request)[1]),
        "application/json",
        'inline; filename="sxtic-registry.json"',
    )
