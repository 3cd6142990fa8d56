"""Demo data of change requests (Art. 15), called from centers.demo. Idempotent.

After ``seed_demo`` 「山西省特种金属材料技术创新中心」 has one rename request, filed by its lead
organization with its written request attached and approved by the Taiyuan bureau: it waits
in the provincial officer's queue (approve it to see the rename applied and the approval
document issued). Every step goes through centers.services.changes; a second run finds the
request and writes nothing.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .models_changes import CenterChangeRequest, ChangeKind, ChangeStatus
from .services import changes

NEW_NAME = "山西省特种金属及先进结构材料技术创新中心"
REASONS = (
    "中心组建以来，研发方向由高温合金、钛合金等特种金属拓展到先进结构材料及其工程化应用，"
    "原名称已不能完整反映中心的定位。经理事会研究，申请更名。"
)
REQUEST_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def seed(ctx, center) -> None:
    users = ctx.get("users") or {}
    staff, bureau = users.get("applicant"), users.get("reviewer_ty")
    if center is None or staff is None or bureau is None:
        return
    request = CenterChangeRequest.objects.filter(center=center, kind=ChangeKind.RENAME).first()
    if request is None:
        request = changes.change_request_create(
            actor=staff,
            center_id=center.pk,
            kind=ChangeKind.RENAME,
            data={"reasons": REASONS, "new_name": NEW_NAME},
            attachments=[
                SimpleUploadedFile("关于中心更名的请示.pdf", REQUEST_PDF, "application/pdf")
            ],
        )
    if request.status == ChangeStatus.DRAFT:
        request = changes.change_request_submit(actor=staff, request_id=request.pk)
    if request.status == ChangeStatus.DEPT_REVIEW:
        changes.change_request_decide(
            actor=bureau,
            request_id=request.pk,
            decision="approve",
            opinion="经审核，更名理由充分，名称符合规范，同意报省科技厅批准。",
            expected_status=ChangeStatus.DEPT_REVIEW,
        )
