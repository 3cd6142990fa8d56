"""The public registry of designated centers: list, filters, one page per center, CSV and JSON."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from documents.csv_export import csv_response

from . import selectors, selectors_changes
from .forms import RegistryFilterForm

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


def _row(center) -> dict:
    return {
        "number": center.number,
        "name": center.name,
        "former_names": [n.name for n in center.former_names],
        # each former name with the days it was in use (approved renames, Art. 15)
        "former_names_dated": [
            {
                "name": n.name,
                "valid_from": n.valid_from.isoformat(),
                "valid_to": n.valid_to.isoformat() if n.valid_to else None,
            }
            for n in center.former_names
        ],
        "kind": center.get_kind_display(),
        "industry_field": center.industry_field.name if center.industry_field_id else "",
        # the lead organization's verified name: a rename is public once verified
        "lead_organization": center.lead_organization.public_name,
        "city": center.city.name if center.city_id else "",
        "designated_on": center.designated_on.isoformat(),
        "status": center.get_status_display(),
    }


def registry_csv(request):
    _form, centers = _filtered(request)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response, writer = csv_response(f"sxtic-registry-{stamp}.csv")
    writer.writerow([label for _key, label in EXPORT_COLUMNS])
    for center in centers:
        row = _row(center)
        row["former_names"] = "；".join(row["former_names"])
        row["former_name_periods"] = "；".join(
            f"{n['valid_from']}至{n['valid_to']}" for n in row.pop("former_names_dated")
        )
        writer.writerow([row[key] for key, _label in EXPORT_COLUMNS])
    return response


def registry_json(request):
    _form, centers = _filtered(request)
    data = {
        "generated_on": timezone.localdate().isoformat(),
        "count": 0,
        "centers": [],
    }
    data["centers"] = [_row(c) for c in centers]
    data["count"] = len(data["centers"])
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="sxtic-registry.json"'
    return response
