"""Views of the expert pool: list, edit, import, the import template."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.feedback import form_errors
from accounts.list_views import list_page
from documents.csv_export import csv_writer
from reviews import imports, lists
from reviews.forms import ExpertForm, ExpertImportForm
from reviews.models import ExpertProfile
from reviews.services import pool as pool_services
from reviews.services.common import ReviewError
from reviews.views.common import PAGE_SIZE, officer_only


@login_required
@officer_only
def expert_list(request):
    return list_page(request, lists.EXPERTS, "reviews/expert_list.html", page_size=PAGE_SIZE)


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk=None):
    profile = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk) if pk else None
    form = ExpertForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            pool_services.expert_save(
                actor=request.user,
                profile_id=profile.pk if profile else None,
                **form.service_kwargs(),
            )
        except ReviewError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "专家信息已保存。")
            return redirect("reviews:expert_list")
    return render(request, "reviews/expert_form.html", {"form": form, "profile": profile})


@login_required
@officer_only
@require_http_methods(["GET", "POST"])
def expert_import(request):
    form = ExpertImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = imports.import_experts(actor=request.user, upload=form.cleaned_data["file"])
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
    return render(
        request,
        "reviews/expert_import.html",
        {"form": form, "report": report, "headers": imports.TEMPLATE_HEADERS},
    )


@login_required
@officer_only
def expert_import_template(request):
    out = io.StringIO()
    writer = csv_writer(out)  # the shared writer: no cell is read as a formula
    writer.writerow(imports.TEMPLATE_HEADERS)
    writer.writerow(
        [
            "expert_zhang",
            "张明",
            "技术",
            "F01；F04",
            "半导体材料",
            "山西某大学",
            "",
            "教授",
            "13800000000",
            "zhang@example.com",
            "在库",
            "某某公司|",
        ]
    )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="expert-import-template.csv"'
    return response
