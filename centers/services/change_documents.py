"""The approval document (批复) of a center's rename or reorganization (Art. 15).

Issued in the layout of the designation notice (documents/official_base.html), numbered from
the same sequence (documents.services.issue_document → allocate_number → numbering.take),
stored once: the request row is locked and an existing document is returned unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from centers.models_changes import DOCUMENTED_KINDS, CenterChangeRequest, ChangeKind, ChangeStatus
from centers.services.common import CentersError
from documents.models import DocumentKind, IssuedDocument
from documents.services import issue_document

TEMPLATE = "centers/changes/approval_pdf.html"
MAX_BYTES = 1024 * 1024
REGULATION = "《山西省技术创新中心管理办法（试行）》"


def approval_title(request: CenterChangeRequest, old_name: str) -> str:
    if request.kind == ChangeKind.RENAME:
        return f"{settings.ST_DEPARTMENT_NAME}关于同意{old_name}更名为{request.new_name}的批复"
    return f"{settings.ST_DEPARTMENT_NAME}关于同意{old_name}调整重组的批复"


def old_name_of(request: CenterChangeRequest) -> str:
    change = getattr(request, "applied_change", None)
    if change is not None and request.kind == ChangeKind.RENAME:
        return change.old_values.get("name") or request.center.name
    return request.center.name


def approval_context(request: CenterChangeRequest) -> dict:
    center = request.center
    organization = center.lead_organization
    department = center.department
    addressees = [organization.public_name]
    if department and department.name not in addressees:
        addressees.append(department.name)
    return {
        "kind": request.kind,
        "matter": "更名" if request.kind == ChangeKind.RENAME else "调整重组",
        "old_name": old_name_of(request),
        "new_name": request.new_name,
        "center_number": center.number,
        "lead_organization": organization.public_name,
        "department_name": department.name if department else "组织管理部门",
        "addressees": addressees,
        "cobuilders": request.new_cobuilders,
        "institutions": request.new_institutions,
        "description": request.description,
        "regulation": REGULATION,
    }


def issue_change_approval(
    *, actor=None, request_id: int, now: dt.datetime | None = None
) -> IssuedDocument:
    """Issue the approval document of an approved rename/reorganization, once (idempotent)."""
    with transaction.atomic():
        request = (
            CenterChangeRequest.objects.select_for_update(of=("self",))
            .select_related("center__lead_organization", "center__department")
            .get(pk=request_id)
        )
        if request.approval_document_id:
            return request.approval_document
        if request.status != ChangeStatus.APPROVED or request.kind not in DOCUMENTED_KINDS:
            raise CentersError(
                _("Only an approved rename or reorganization gets an approval document.")
            )
        document = issue_document(
            actor=actor,
            kind=DocumentKind.CHANGE_APPROVAL,
            title=approval_title(request, old_name_of(request)),
            template_name=TEMPLATE,
            context=approval_context(request),
            target=request.center,
            max_bytes=MAX_BYTES,
            now=now,
        )
        CenterChangeRequest.objects.filter(pk=request.pk).update(approval_document=document)
        request.approval_document = document
    return document
