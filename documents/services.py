"""Write path of issued documents: numbering, rendering, storing, auditing.

An issued document is a record: its PDF is stored once under MEDIA_ROOT/documents/
and never regenerated. A correction is a new document with a new number that
supersedes the old one (the old file stays byte-identical).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import ADMINISTRATOR, PROVINCIAL_OFFICER
from audit.services import record
from numbering import services as numbering
from numbering.models import document_kind

from .formatting import cn_date
from .models import DocumentKind, IssuedDocument
from .pdf import official_document_context, render_pdf
from .verification import new_code, verification_context

log = logging.getLogger(__name__)

DESIGNATION_NOTICE_TEMPLATE = "documents/designation_notice.html"
MAX_NOTICE_BYTES = 1024 * 1024


class DocumentError(Exception):
    """A document cannot be issued as asked; the message is Chinese, for the user."""


# --------------------------------------------------------------------------- formatting


def format_number(prefix: str, year: int, sequence: int) -> str:
    """晋科发〔2026〕12号: full year in 〔〕, Arabic numerals, no leading zeros, no 第."""
    return f"{prefix}〔{year}〕{int(sequence)}号"


def _require_issuer(actor) -> None:
    if actor is None:  # the system (a Celery task)
        return
    if not getattr(actor, "is_authenticated", False) or not (
        actor.has_role(PROVINCIAL_OFFICER) or actor.has_role(ADMINISTRATOR)
    ):
        raise PermissionDenied(
            _("Only staff of the Provincial S&T Department or administrators can issue documents.")
        )


# --------------------------------------------------------------------------- numbering


def allocate_number(*, year: int, prefix: str | None = None) -> tuple[str, int, int]:
    """Take the next number of ``prefix`` in ``year``: (prefix, year, sequence).

    Must run inside the caller's transaction: the sequence row stays locked until it
    commits, so concurrent issues get consecutive, distinct numbers (and a rolled-back
    issue gives its number back).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number() must run inside transaction.atomic().")
    prefix = prefix or settings.DOC_NUMBER_PREFIX
    return prefix, year, numbering.take(document_kind(prefix), year)


# --------------------------------------------------------------------------- generic issue


def issue_document(
    *,
    actor,
    kind: str,
    title: str,
    template_name: str,
    context: dict,
    target=None,
    numbered: bool = True,
    supersedes: IssuedDocument | None = None,
    reason: str = "",
    max_bytes: int | None = None,
    now: dt.datetime | None = None,
) -> IssuedDocument:
    """Number (optionally), render, store and audit one document, in one transaction.

    The template receives ``document`` (number, title, issued_on, issued_on_cn,
    supersedes_number, issuing_authority, verification) on top of ``context``. Every document
    gets a verification code, printed with its QR code (documents/verification.py).
    """
    _require_issuer(actor)
    now = now or timezone.now()
    issued_on = timezone.localdate(now)
    with transaction.atomic():
        prefix, year, sequence, number = "", None, None, ""
        if numbered:
            prefix, year, sequence = allocate_number(year=issued_on.year)
            number = format_number(prefix, year, sequence)
        code = new_code()
        document_context = official_document_context(
            title=title,
            number=number,
            issued_on=issued_on,
            supersedes_number=supersedes.number if supersedes else "",
            verification=verification_context(code),
        )
        with translation.override("zh-hans"):
            pdf = render_pdf(template_name, {**context, "document": document_context})
        if max_bytes is not None and len(pdf) > max_bytes:
            raise DocumentError(
                _("The generated file is too large (%(size)s bytes, at most %(limit)s bytes).")
                % {"size": len(pdf), "limit": max_bytes}
            )
        digest = hashlib.sha256(pdf).hexdigest()
        document = IssuedDocument(
            kind=kind,
            prefix=prefix,
            year=year,
            sequence=sequence,
            number=number,
            title=title,
            sha256=digest,
            size=len(pdf),
            issued_at=now,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            supersedes=supersedes,
            reason=reason,
            verification_code=code,
        )
        if target is not None:
            document.content_type = ContentType.objects.get_for_model(
                target, for_concrete_model=False
            )
            document.object_id = target.pk
        stem = f"{kind}-{year}-{sequence}" if numbered else f"{kind}-{issued_on:%Y%m%d}"
        document.file.save(f"{stem}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        try:
            document.save()
            data = {"label": f"印发《{title}》{number}", "number": number, "sha256": digest}
            if supersedes is not None:
                data.update(
                    label=f"印发更正文件{number}（替代{supersedes.number}）",
                    reason=reason,
                    supersedes=supersedes.number,
                )
            record(actor=actor, action=f"documents.{kind}.issued", target=document, data=data)
            if target is not None:
                record(actor=actor, action=f"documents.{kind}.issued", target=target, data=data)
        except BaseException:
            document.file.storage.delete(document.file.name)
            raise
    return document


# --------------------------------------------------------------------------- designation notice


def _center_model():
    return apps.get_model("centers", "Center")


# The regulation's own terms (Art. 3), fixed in an official document whatever the UI language.
KIND_LABELS = {"comprehensive": "综合类技术创新中心", "domain": "领域类技术创新中心"}


def designation_notice_context(center) -> dict:
    """What the designation notice says about a center (read from the Center row)."""
    department = center.department
    organization = center.lead_organization
    addressees = [department.name] if department else []
    if organization.public_name not in addressees:  # the verified name (public document)
        addressees.append(organization.public_name)
    cobuilders = [item.get("name") for item in (center.cobuilders or []) if isinstance(item, dict)]
    director = center.director or {}
    return {
        "center": center,
        "center_name": center.name,
        "center_number": center.number,
        "kind_label": KIND_LABELS.get(center.kind, center.get_kind_display()),
        "field_name": center.industry_field.name if center.industry_field_id else "",
        "lead_organization": organization.public_name,
        "department_name": department.name if department else "",
        "addressees": addressees,
        "cobuilders": [name for name in cobuilders if name],
        "director_name": director.get("name", ""),
        "designated_on_cn": cn_date(center.designated_on),
        "regulation": "《山西省技术创新中心管理办法（试行）》",
    }


def designation_notice_title(center) -> str:
    return f"{settings.ST_DEPARTMENT_NAME}关于认定{center.name}的通知"


def _load_center(center_id: int):
    Center = _center_model()
    # Lock the center row only (no outer joins under FOR UPDATE), then read its relations.
    Center.objects.select_for_update().filter(pk=center_id).values_list("pk", flat=True).get()
    return Center.objects.select_related("lead_organization", "department", "industry_field").get(
        pk=center_id
    )


def current_designation_notice(center) -> IssuedDocument | None:
    """The notice in force: the last correction of the original, or the original."""
    ct = ContentType.objects.get_for_model(center, for_concrete_model=False)
    notices = IssuedDocument.objects.filter(
        kind=DocumentKind.DESIGNATION_NOTICE, content_type=ct, object_id=center.pk
    ).order_by("-issued_at", "-pk")
    return notices.filter(superseded_by__isnull=True).first()


def issue_designation_notice(
    *, actor=None, center_id: int, now: dt.datetime | None = None
) -> IssuedDocument:
    """Issue the designation notice (认定通知) of a center, once.

    Idempotent: the center row is locked first and an existing notice is returned
    unchanged, so two task runs (or a task and a button) give one document and one
    number. ``actor=None`` is the system.
    """
    _require_issuer(actor)
    Center = _center_model()
    with transaction.atomic():
        center = _load_center(center_id)
        ct = ContentType.objects.get_for_model(Center, for_concrete_model=False)
        existing = IssuedDocument.objects.filter(
            kind=DocumentKind.DESIGNATION_NOTICE,
            content_type=ct,
            object_id=center.pk,
            supersedes__isnull=True,
        ).first()
        if existing is not None:
            return existing
        return issue_document(
            actor=actor,
            kind=DocumentKind.DESIGNATION_NOTICE,
            title=designation_notice_title(center),
            template_name=DESIGNATION_NOTICE_TEMPLATE,
            context=designation_notice_context(center),
            target=center,
            max_bytes=MAX_NOTICE_BYTES,
            now=now,
        )


def reissue_designation_notice(
    *, actor, document_id: int, reason: str, now: dt.datetime | None = None
) -> IssuedDocument:
    """Issue a corrected designation notice: a NEW document with a new number.

    The corrected one is the notice in force; the old row and file stay unchanged.
    Only the notice in force can be corrected (a second correction of the same
    notice is refused), so two officers correcting at once get one correction.
    """
    if actor is None:
        raise PermissionDenied(
            _("Corrected documents are issued by staff of the Provincial S&T Department.")
        )
    _require_issuer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Enter the reason for the correction."))
    with transaction.atomic():
        old = (
            IssuedDocument.objects.select_for_update()
            .filter(pk=document_id, kind=DocumentKind.DESIGNATION_NOTICE)
            .first()
        )
        if old is None:
            raise DocumentError(_("There is no such designation notice."))
        if IssuedDocument.objects.filter(supersedes=old).exists():
            current = IssuedDocument.objects.get(supersedes=old)
            raise DocumentError(
                _("%(old)s was corrected by %(new)s; correct the latest document instead.")
                % {"old": old.number, "new": current.number}
            )
        center = _load_center(old.object_id)
        return issue_document(
            actor=actor,
            kind=DocumentKind.DESIGNATION_NOTICE,
            title=designation_notice_title(center),
            template_name=DESIGNATION_NOTICE_TEMPLATE,
            context=designation_notice_context(center),
            target=center,
            supersedes=old,
            reason=reason,
            max_bytes=MAX_NOTICE_BYTES,
            now=now,
        )
