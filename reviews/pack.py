"""The panel pack (评审材料包): one ZIP per panel for the officer and the accepted experts.

It holds the plan book of the version under review (``applications.plan_book``) and that
version's attachments, under Chinese names (ZIP UTF-8 flag), and nothing about the panel:
no expert's name, seat or score. Built once per (panel, version) and kept (``PanelPack``):
synchronously when the attachments are small (``REVIEWS_PACK_SYNC_BYTES``, default 20 MB),
else by the task ``reviews.tasks.build_panel_pack`` while the page asks to come back.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import translation

from applications import plan_book
from applications.models import ATTACHMENT_LABELS, Attachment
from reviews import selectors
from reviews.models import Panel, PanelPack
from reviews.services.common import ReviewError

TASK = "reviews.tasks.build_panel_pack"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def sync_limit() -> int:
    return int(getattr(settings, "REVIEWS_PACK_SYNC_BYTES", 20 * 1024 * 1024))


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip(" .") or "文件"


def pack_name(panel: Panel, version_number: int) -> str:
    return f"{panel.application.number or '建设方案'}-第{version_number}版-评审材料.zip"


def _version(panel: Panel):
    version = selectors.scored_version(panel)
    if version is None:
        raise ReviewError("该专家组还没有评审版本，暂无评审材料包。")
    return version


def attachments_size(panel: Panel) -> int:
    return sum(int(item.get("size") or 0) for item in _version(panel).attachments or [])


def existing_pack(panel: Panel) -> PanelPack | None:
    if panel.version_number is None:
        return None
    return PanelPack.objects.filter(panel=panel, version_number=panel.version_number).first()


def _write_zip(handle, panel: Panel, version) -> None:
    book = plan_book.version_book(version)
    items = version.attachments or []
    files = {a.pk: a for a in Attachment.objects.filter(pk__in=[i.get("id") for i in items])}
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with book.file.open("rb") as source:
            archive.writestr(
                _safe(plan_book.book_filename(panel.application, version.number)), source.read()
            )
        for n, item in enumerate(items, start=1):
            attachment = files.get(item.get("id"))
            if attachment is None:
                continue
            label = str(ATTACHMENT_LABELS.get(item.get("kind"), item.get("kind") or "附件"))
            name = f"附件/{n:02d}-{_safe(label)}-{_safe(item.get('name') or attachment.name)}"
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with attachment.file.open("rb") as source, archive.open(info, "w") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)


def build_pack(*, panel_id: int) -> PanelPack:
    """Build and keep the pack of the panel's version under review (idempotent)."""
    panel = Panel.objects.select_related("application__organization").get(pk=panel_id)
    version = _version(panel)
    pack = existing_pack(panel)
    if pack is not None:
        return pack
    with tempfile.TemporaryFile() as handle, translation.override("zh-hans"):
        _write_zip(handle, panel, version)  # Chinese names whatever the user's language
        handle.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
        size = handle.tell()
        handle.seek(0)
        pack = PanelPack(
            panel=panel, version_number=version.number, sha256=digest.hexdigest(), size=size
        )
        pack.file.save("pack.zip", File(handle), save=False)
    try:
        with transaction.atomic():
            pack.save()
    except IntegrityError:  # built by the task or another download meanwhile
        pack.file.storage.delete(pack.file.name)
        return PanelPack.objects.get(panel=panel, version_number=version.number)
    return pack


def queue_pack(panel_id: int) -> None:
    """Build in the worker (by task name: the tasks module imports this one)."""
    from celery import current_app

    current_app.send_task(TASK, args=[panel_id])
