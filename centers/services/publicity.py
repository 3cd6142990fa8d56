"""Publicity (公示, Art. 9(3)): the period in working days and the published notice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from applications.models import Application
from applications.services import application_transition
from audit.services import record
from centers import rules
from centers.models import PublicityItem, PublicityNotice
from centers.services.common import AWAITING, CentersError
from documents.formatting import cn_date
from documents.languages import paren

DEFAULT_CONTACT = (
    "山西省科学技术厅（联系电话：0351-4043591；通信地址：山西省太原市迎泽区五一路58号，邮编030001）"
)


def publicity_period(start: dt.date) -> tuple[dt.date, dt.date]:
    """(start, end): five working days from the publication day. Raises CentersError naming
    the year when the calendar does not know it."""
    from workdays.services import UnknownCalendarYear, nth_working_day

    days = getattr(settings, "PUBLICITY_WORKING_DAYS", 5)
    try:
        return start, nth_working_day(start, days)
    except UnknownCalendarYear as exc:
        raise CentersError(
            _(
                "The publicity period needs the working-day calendar of %(year)s, but the "
                "holidays of %(year)s are not entered yet; the notice cannot be published."
            )
            % {"year": exc.year}
            + paren(exc)
        ) from exc


def default_notice_title(apps) -> str:
    apps = list(apps)
    if len(apps) == 1:
        return f"关于{apps[0].full_name}拟认定名单的公示"
    return f"关于{apps[0].full_name}等{len(apps)}家省技术创新中心拟认定名单的公示"


def publicity_publish(
    *,
    actor,
    application_ids,
    start: dt.date | None = None,
    title: str = "",
    contact: str = "",
) -> PublicityNotice:
    """Publish a notice for plans approved by a closed meeting; each plan enters ``publicity``."""
    require_officer(actor)
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        raise CentersError(_("Choose at least one plan approved by the office meeting."))
    start = start or timezone.localdate()
    start, end = publicity_period(start)
    with transaction.atomic():
        apps = list(
            Application.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("organization", "industry_field")
            .order_by("pk")
        )
        problems = []
        for app in apps:
            if app.status != AWAITING or not rules.meeting_approved(app):
                problems.append(
                    _(
                        "“%(plan)s” is not approved by the office meeting or no longer awaits "
                        "publicity."
                    )
                    % {"plan": app.full_name}
                )
            elif PublicityItem.objects.filter(application=app).exists():
                problems.append(
                    _("“%(plan)s” has already been under publicity.") % {"plan": app.full_name}
                )
        if len(apps) != len(ids):
            problems.append(_("A plan chosen does not exist."))
        if problems:
            raise CentersError(problems)
        notice = PublicityNotice.objects.create(
            title=(title or "").strip() or default_notice_title(apps),
            start_date=start,
            end_date=end,
            contact=(contact or "").strip() or DEFAULT_CONTACT,
            published_by=actor,
        )
        for order, app in enumerate(apps, start=1):
            PublicityItem.objects.create(
                notice=notice,
                application=app,
                order=order,
                center_name=app.full_name,
                lead_organization_name=app.organization.public_name,
                kind=app.kind,
                field_name=app.industry_field.name if app.industry_field_id else "",
            )
        period = f"{cn_date(start)}至{cn_date(end)}"
        record(
            actor=actor,
            action="centers.publicity_published",
            target=notice,
            data={"label": "发布公示", "period": period, "applications": ids},
        )
        for app in apps:
            application_transition(
                actor=actor,
                application_id=app.pk,
                transition="start_publicity",
                expected_status=AWAITING,
                reason=f"公示期：{period}",
                data={"notice": notice.title, "notice_id": notice.pk},
            )
    return notice
