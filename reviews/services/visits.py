"""Site inspections and defenses (实地考察、现场答辩) and the members' visit notes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from audit.services import record
from notifications.services import notify
from reviews.models import Panel, PanelMember, Visit, VisitFile, VisitNote
from reviews.services.common import VISIT_NAMES, ReviewError, page_link
from reviews.services.members import own_member


def visit_record(
    *,
    actor,
    panel_id: int,
    kind: str,
    date: dt.date,
    place: str,
    attendees: str,
    findings: str,
    files=(),
) -> Visit:
    require_officer(actor)
    with transaction.atomic():
        panel = Panel.objects.select_for_update().select_related("application").get(pk=panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError(_("The expert review is over."))
        visit = Visit.objects.create(
            panel=panel,
            kind=kind,
            date=date,
            place=place,
            attendees=attendees,
            findings=findings,
            recorded_by=actor,
        )
        for upload in files:
            VisitFile.objects.create(visit=visit, file=upload, name=upload.name, size=upload.size)
        record(
            actor=actor,
            action=f"reviews.visit.{kind}",
            target=panel.application,
            data={
                "label": f"记录{VISIT_NAMES[kind]}",
                "date": f"{date:%Y-%m-%d}",
                "place": place,
            },
        )
        members = PanelMember.objects.filter(
            panel=panel, status=PanelMember.Status.ACCEPTED
        ).select_related("expert__user")
        notify(
            recipients=[m.expert.user for m in members],
            subject=f"{VISIT_NAMES[kind]}记录：{panel.application.full_name}",
            body=f"{date:%Y年%-m月%-d日}在{place}进行的{VISIT_NAMES[kind]}已记录，请补充您的意见。",
            link=page_link("panel_detail", panel.pk),
        )
    return visit


def visit_note_save(*, actor, member_id: int, visit_id: int, text: str) -> VisitNote:
    if not text.strip():
        raise ReviewError(_("Fill in the opinion on the inspection or the defense."))
    with transaction.atomic():
        member = own_member(actor, member_id)
        if member.status != PanelMember.Status.ACCEPTED:
            raise ReviewError(_("Accept the invitation first."))
        visit = Visit.objects.get(pk=visit_id, panel_id=member.panel_id)
        note, created = VisitNote.objects.update_or_create(
            visit=visit, member=member, defaults={"text": text.strip()}
        )
        record(
            actor=actor,
            action="reviews.visit.note",
            target=member.panel.application,
            data={"label": f"专家填写{VISIT_NAMES[visit.kind]}意见", "visit": visit.pk},
        )
    return note
