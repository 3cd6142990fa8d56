"""Reminders to experts who have not scored (the beat task calls this)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.services import notify
from reviews import draw as drawing
from reviews.models import Panel, PanelMember, ReminderLog
from reviews.services.common import page_link


def send_score_reminders(*, today: dt.date | None = None, days_before: int = 2) -> dict[str, int]:
    """Remind experts of scores due within ``days_before`` days; tell the officer of overdue ones.

    Idempotent: a ``ReminderLog`` row per (member, deadline, kind) is written in
    the same transaction as the message, and its unique constraint refuses a second one.
    """
    today = today or timezone.localdate()
    sent = {"due_soon": 0, "overdue": 0}
    pending = (
        PanelMember.objects.filter(
            panel__status=Panel.Status.OPEN,
            status__in=PanelMember.ACTIVE,
            panel__score_deadline__lte=today + dt.timedelta(days=days_before),
        )
        .exclude(sheet__submitted_at__isnull=False)
        .select_related("panel__application", "panel__created_by", "expert__user")
        .order_by("pk")
    )
    for member in pending:
        panel = member.panel
        kind = (
            ReminderLog.Kind.OVERDUE if panel.score_deadline < today else ReminderLog.Kind.DUE_SOON
        )
        try:
            with transaction.atomic():
                ReminderLog.objects.create(member=member, deadline=panel.score_deadline, kind=kind)
                name = panel.application.full_name
                due = f"{panel.score_deadline:%Y年%-m月%-d日}"
                if kind == ReminderLog.Kind.DUE_SOON:
                    notify(
                        recipients=[member.expert.user],
                        subject=f"评分即将截止：{name}",
                        body=f"「{name}」的专家评分将于 {due} 截止，请尽快完成评分。",
                        link=page_link("member_detail", member.pk),
                    )
                else:
                    notify(
                        recipients=[panel.created_by],
                        subject=f"专家评分已逾期：{name}",
                        body=f"专家{member.expert.user}（{drawing.KIND_NAMES[member.kind]}）"
                        f"未在 {due} 前提交「{name}」的评分。",
                        link=page_link("panel_detail", panel.pk),
                    )
        except IntegrityError:
            continue  # already reminded for this deadline
        sent[kind] += 1
    return sent
