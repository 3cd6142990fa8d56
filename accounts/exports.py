"""List exports: a CSV or XLSX of the filtered list, at once or as a background job.

A list of up to ``EXPORT_ASYNC_ROWS`` rows downloads at once. A longer one becomes an
:class:`ExportJob`; the Celery task ``accounts.tasks.run_export`` rebuilds the same list for
the same user from the stored query string (``accounts/listing.py``), stores the file
privately, and tells the user with an in-app message; My tasks lists the file until it is
downloaded. Only the requesting user downloads it: for anyone else the job does not exist.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from documents.csv_export import XLSX_TYPE, write_csv, write_xlsx

from . import inbox_topics, listing
from .models_exports import ExportJob


def async_threshold() -> int:
    return int(getattr(settings, "EXPORT_ASYNC_ROWS", 2000))


def filename(listdef) -> str:
    return f"{listdef.name}-{timezone.localdate():%Y%m%d}"


def build_export(*, job_id: int) -> ExportJob | None:
    """Write the job's file (once: a job already finished is left as it is)."""
    from notifications.services import notify

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ExportJob.Status.QUEUED:
            return job
        listdef = listing.get(job.list_name)
        _form, qs = listdef.queryset(job.user, QueryDict(job.params))
        rows = list(listdef.rows(qs))
        if job.fmt == "xlsx":
            stream = io.BytesIO()
            write_xlsx(stream, listdef.headers(), rows, title=listdef.title)
            content = stream.getvalue()
        else:
            text = io.StringIO()
            write_csv(text, listdef.headers(), rows)
            content = text.getvalue().encode("utf-8")
        job.file.save(f"{filename(listdef)}.{job.fmt}", ContentFile(content), save=False)
        job.rows = len(rows)
        job.status = ExportJob.Status.READY
        job.finished_at = timezone.now()
        job.save()
        notify(
            recipients=[job.user],
            subject=f"导出文件已生成：{job.title}（{job.rows} 行）",
            body="下载链接在首页的“我的待办”中，文件仅您本人可以下载。",
            link=reverse("export_download", args=[job.pk]),
        )
    return job


@login_required
def export_download(request, pk):
    """The file of the user's own finished job; anybody else's job is a 404."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportJob.Status.READY)
    if job.downloaded_at is None:
        ExportJob.objects.filter(pk=job.pk).update(downloaded_at=timezone.now())
        inbox_topics.touch(ExportJob)  # its task is done
    content_type = XLSX_TYPE if job.fmt == "xlsx" else "text/csv; charset=utf-8"
    name = job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
