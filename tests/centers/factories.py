"""Arrange helpers for the centers tests: plans already through the expert review.

A plan is created as a draft, version 1 is frozen through applications.versions, and the
plan is put in ``awaiting_meeting`` directly (the earlier steps belong to the applications
and reviews apps and are tested there). Every step from the office meeting on goes through
centers.services.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import inbox_topics
from applications.models import Application
from applications.versions import freeze_version
from centers.models import IndustryField, MeetingItem
from centers.services import meetings, objections, publicity
from tests.factories import OrganizationFactory, applicant, bureau, officer

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "PNG")
    return buf.getvalue()


def pdf_upload(name="声明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name="证据.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


PLAN = {
    "lead": {"profile": "牵头单位长期从事半导体材料研发。"},
    "cobuilders": {
        "items": [
            {
                "name": "山西共建大学",
                "credit_code": "",
                "org_type": "university",
                "mode": "agreement",
                "contribution": "联合攻关",
            }
        ]
    },
    "director": {"name": "李正高", "title": "研究员", "title_level": "senior_full"},
    "governance": {"legal_entity_type": "enterprise", "council": "理事会"},
    "investment": {"lead_commitment_wan": 5000, "public_services": ["检验检测"]},
    "targets": {
        "items": [{"key": "patents", "label": "专利", "unit": "件", "baseline": 10, "target": 40}]
    },
}


def plan_awaiting_meeting(*, name="碳基新材料", org=None, field_code="F02", plan=None):
    org = org or OrganizationFactory()
    user = applicant(org)
    app = Application.objects.create(
        organization=org,
        department=bureau(org.registered_city.name),
        created_by=user,
        name=name,
        kind="domain",
        industry_field=IndustryField.objects.get(code=field_code),
        plan=plan or PLAN,
    )
    freeze_version(app, actor=user, reason="submit")
    Application.objects.filter(pk=app.pk).update(status=Application.Status.AWAITING_MEETING)
    # a shortcut the services never take: it moves My tasks' topics as a decision would
    inbox_topics.touch(Application, [Application.Status.AWAITING_MEETING])
    app.refresh_from_db()
    app._test_applicant = user
    return app


def approved_plan(*, actor=None, **kw):
    """A plan approved by a closed office meeting (still awaiting publicity)."""
    actor = actor or officer()
    app = plan_awaiting_meeting(**kw)
    close_meeting(actor, {app: MeetingItem.Decision.APPROVE})
    app.refresh_from_db()
    return app


def close_meeting(actor, decisions: dict, *, title="2026年第12次厅务会议"):
    meeting = meetings.meeting_create(actor=actor, title=title, held_on=dt.date(2026, 9, 25))
    items = meetings.meeting_add_items(
        actor=actor, meeting_id=meeting.pk, application_ids=[a.pk for a in decisions]
    )
    for item in items:
        decision = decisions[next(a for a in decisions if a.pk == item.application_id)]
        meetings.meeting_stage_decision(
            actor=actor,
            item_id=item.pk,
            decision=decision,
            reason="不符合条件" if decision == "reject" else "",
        )
    meetings.meeting_upload_minutes(
        actor=actor, meeting_id=meeting.pk, upload=pdf_upload("纪要.pdf")
    )
    return meetings.meeting_close(actor=actor, meeting_id=meeting.pk)


def publicized_plan(*, start=dt.date(2026, 9, 30), actor=None, **kw):
    """A plan in publicity; returns (app, notice)."""
    actor = actor or officer()
    app = approved_plan(actor=actor, **kw)
    notice = publicity.publicity_publish(actor=actor, application_ids=[app.pk], start=start)
    app.refresh_from_db()
    return app, notice


def objection_data(**overrides):
    data = {
        "objector_kind": "person",
        "name": "刘实名",
        "organization": "太原某大学",
        "contact_person": "",
        "phone": "13800001234",
        "address": "山西省太原市迎泽区某路1号",
        "reasons": "该中心申报材料中列出的专利并非牵头单位所有，证据见附件。",
    }
    data.update(overrides)
    return data


def file_objection(app, *, now=None, **overrides):
    from centers.models import PublicityItem

    item = PublicityItem.objects.get(application=app)
    return objections.objection_submit(
        item_id=item.pk,
        data=objection_data(**overrides),
        statement=pdf_upload(),
        evidence=[png_upload()],
        now=now,
        ip="10.0.0.1",
    )
