"""Reads of issued documents, fetched together with the user's right to see them.

Who may download an issued document:
- provincial officers and administrators: every document;
- for a designation notice or the approval of a center's change (Art. 15): the staff of
  the center's lead organization and of its organizing department (the addressees).
Everyone else gets a 404.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import ADMINISTRATOR, PROVINCIAL_OFFICER

from .models import DocumentKind, IssuedDocument


def _center_type() -> ContentType:
    return ContentType.objects.get_for_model(
        apps.get_model("centers", "Center"), for_concrete_model=False
    )


def documents_visible_to(*, user) -> QuerySet[IssuedDocument]:
    documents = IssuedDocument.objects.select_related("supersedes", "superseded_by", "issued_by")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return documents.none()
    if user.has_role(PROVINCIAL_OFFICER) or user.has_role(ADMINISTRATOR):
        return documents
    Center = apps.get_model("centers", "Center")
    unit = Q()
    if user.organization_id:
        unit |= Q(lead_organization_id=user.organization_id)
    if user.department_id:
        unit |= Q(department_id=user.department_id)
    if not unit:
        return documents.none()
    return documents.filter(
        kind__in=[DocumentKind.DESIGNATION_NOTICE, DocumentKind.CHANGE_APPROVAL],
        content_type=_center_type(),
        object_id__in=Center.objects.filter(unit).values("pk"),
    )


def get_document_for(*, user, pk: int) -> IssuedDocument:
    document = documents_visible_to(user=user).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return document


def notices_for(target, *, kind: str = DocumentKind.DESIGNATION_NOTICE) -> QuerySet[IssuedDocument]:
    """The issued documents of a target (by default its designation notices), newest first.

    Corrections come before the notices they supersede; ``doc.supersedes`` and
    ``doc.superseded_by`` tell which is in force.
    """
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return (
        IssuedDocument.objects.filter(content_type=content_type, object_id=target.pk, kind=kind)
        .select_related("supersedes", "superseded_by")
        .order_by("-issued_at", "-pk")
    )


# --------------------------------------------------------------------------- public verification


def document_by_code(code: str) -> IssuedDocument | None:
    """The issued document with this (normalized) verification code, for the public page."""
    if not code:
        return None
    return (
        IssuedDocument.objects.select_related("superseded_by")
        .filter(verification_code=code)
        .first()
    )


def document_by_sha256(digest: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.select_related("superseded_by")
        .filter(sha256=digest)
        .order_by("pk")
        .first()
    )
