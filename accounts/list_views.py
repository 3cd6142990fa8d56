"""The page of an officer or reviewer list (accounts/listing.py) and its downloads."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render

from documents.csv_export import table_response

from . import choices, exports, listing
from .models_exports import ExportJob


def list_page(request, listdef, template: str, *, page_size: int = 20, extra=None):
    """The filtered, paged list; with ``?export=csv|xlsx`` its download instead."""
    params = listing.list_params(request)
    form, qs = listdef.queryset(request.user, params)
    fmt = request.GET.get(listing.EXPORT_PARAM)
    if fmt in listing.EXPORT_FORMATS:
        return export_response(request, listdef, form, qs, fmt)
    page = Paginator(qs, page_size).get_page(request.GET.get(listing.PAGE_PARAM))
    query = form.data.copy()
    query.pop(listing.PAGE_PARAM, None)
    query.pop(listing.EXPORT_PARAM, None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "listdef": listdef,
        "filter_key": filter_key(listdef, form),
    }
    return render(request, template, {**context, **(extra or {})})


def filter_key(listdef, form) -> str:
    """What the filter bar shows depends on: the list, what was typed (with the user's
    defaults) and the reference options (``choices.version``); the language is added by the
    template. Its rendering is cached per process under this key (``_list/filter.html``)."""
    typed = sorted((k, v) for k, v in form.data.lists() if k not in listing.NOT_FILTERS)
    raw = f"{listdef.name}|{choices.version()}|{typed!r}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def export_response(request, listdef, form, qs, fmt: str):
    """The file of the filtered list, or — over the threshold — a queued job."""
    if qs.count() > exports.async_threshold():
        job = request_export(actor=request.user, listdef=listdef, params=form.data, fmt=fmt)
        messages.info(
            request,
            f"导出的行数较多，正在后台生成「{job.title}」；生成后会通知您，"
            "下载链接在首页的“我的待办”中。",
        )
        return HttpResponseRedirect(f"{request.path}?{job.params}")
    return table_response(
        fmt, exports.filename(listdef), listdef.headers(), listdef.rows(qs), title=listdef.title
    )


def request_export(*, actor, listdef, params: QueryDict, fmt: str) -> ExportJob:
    """Queue the export of the list as ``actor`` filtered it (written after the commit)."""
    from .tasks import run_export

    params = params.copy()
    params.pop(listing.PAGE_PARAM, None)
    params.pop(listing.EXPORT_PARAM, None)
    job = ExportJob.objects.create(
        user=actor, list_name=listdef.name, title=listdef.title, params=params.urlencode(), fmt=fmt
    )
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job
