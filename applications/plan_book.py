"""The plan book (申报书): a frozen version, or the applicant's draft, as a PDF to print.

Cover (plan name, application number, lead organization by its verified name, organizing
department, version and date), the twelve sections in order (基本信息, the ten plan sections,
附件 as a list), page numbers 「第 X 页 共 Y 页」 and the mark 「第N版」 on every page.

``version_book(version)`` renders a version's book once and keeps it (``VersionBook``): the
task queued when the version is frozen (``applications.tasks.render_version_book``) or the
first download renders it, the version row lock makes it one file. ``draft_book(app)``
renders the plan as it is now, marked 「草稿」 on every page, and stores nothing.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from documents.formatting import cn_date
from documents.pdf import render_pdf

from . import sections, versions
from .models import ATTACHMENT_LABELS, ApplicationVersion, VersionBook

TEMPLATE = "applications/pdf/plan_book.html"
TASK = "applications.tasks.render_version_book"
CN_NUMERALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """一 … 十二 (section numbers of the book)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    return "十" + CN_NUMERALS[n - 11]


def _basics(data: dict) -> list[tuple[str, str]]:
    field = data.get("industry_field") or {}
    return [
        ("中心名称", data.get("full_name", "")),
        ("中心类别", versions.KIND_LABELS.get(data.get("kind"), data.get("kind") or "")),
        ("产业领域", field.get("name", "") if isinstance(field, dict) else ""),
        ("重大战略区域", "、".join(data.get("strategic_areas") or [])),
        ("组织管理部门", data.get("department", "")),
    ]


def book_context(
    application, *, data: dict, attachments: list, version_number: int | None, on
) -> dict:
    kind = data.get("kind") or "domain"
    plan = data.get("plan") or {}
    body = [sections.display(section, plan, kind) for section in sections.PLAN_SECTIONS]
    titled = [{"title": sections.BASICS.title, "fields": _basics(data), "tables": []}, *body]
    for n, section in enumerate(titled, start=1):
        section["heading"] = f"{ordinal(n)}、{section['title']}"
    return {
        "app": application,
        "data": data,
        "lead_organization": application.organization.public_name,
        "sections": titled,
        "attachments_heading": f"{ordinal(len(titled) + 1)}、{sections.ATTACHMENTS.title}",
        "attachments": [
            {**item, "label": ATTACHMENT_LABELS.get(item.get("kind"), item.get("kind"))}
            for item in attachments
        ],
        "version_number": version_number,
        "mark": f"第{version_number}版" if version_number else "草稿",
        "draft": version_number is None,
        "date_cn": cn_date(on),
    }


def render_book(application, **kwargs) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(TEMPLATE, book_context(application, **kwargs))


def render_version(version: ApplicationVersion) -> bytes:
    return render_book(
        version.application,
        data=version.data or {},
        attachments=version.attachments or [],
        version_number=version.number,
        on=timezone.localdate(version.created_at),
    )


def version_book(version: ApplicationVersion) -> VersionBook:
    """The stored book of a version, rendered now if it is the first time (idempotent)."""
    book = VersionBook.objects.filter(version=version).first()
    if book is not None:
        return book
    with transaction.atomic():
        ApplicationVersion.objects.select_for_update().filter(pk=version.pk).values("pk").get()
        book = VersionBook.objects.filter(version=version).first()
        if book is not None:  # rendered by the task or another download meanwhile
            return book
        version = ApplicationVersion.objects.select_related("application__organization").get(
            pk=version.pk
        )
        pdf = render_version(version)
        book = VersionBook(version=version, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
        book.file.save("book.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                book.save()
        except IntegrityError:  # SQLite has no row lock: the other writer won
            book.file.storage.delete(book.file.name)
            return VersionBook.objects.get(version=version)
    return book


def draft_book(application) -> bytes:
    """The plan as it is now, marked 「草稿」 (not a version; nothing is stored)."""
    return render_book(
        application,
        data=versions.snapshot(application),
        attachments=versions.attachments_snapshot(application),
        version_number=None,
        on=timezone.localdate(),
    )


def queue_version_book(version_id: int) -> None:
    """After the version's transaction commits, render its book in the worker (by task name:
    the tasks module imports this one). A broker that is down only delays it to the first
    download."""
    from celery import current_app

    def send():
        try:
            current_app.send_task(TASK, args=[version_id])
        except Exception:  # pragma: no cover - broker down
            import logging

            logging.getLogger(__name__).exception("could not queue the book of %s", version_id)

    transaction.on_commit(send)


def book_filename(application, version_number: int | None) -> str:
    mark = f"第{version_number}版" if version_number else "草稿"
    return f"{application.number or '建设方案'}-{mark}-申报书.pdf"
