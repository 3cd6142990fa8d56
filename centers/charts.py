"""Dashboard charts of the designated centers (accounts/dashboard.py): by industry field,
city and kind; plans submitted and centers designated per month; overdue annual reports
and change requests waiting past the reminder limit."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.dashboard import Chart, labelled_counts
from accounts.inbox import local_date
from applications.models import Application, Status

from .models import Center, CenterKind
from .models_changes import CenterChangeRequest, ChangeStatus


def centers(scope):
    return scope.narrow(Center.objects.all(), "department")


def _by(scope, path: str, label_path: str):
    rows = (
        centers(scope)
        .order_by()
        .values_list(label_path)
        .annotate(n=Count("pk"))
        .order_by("-n", label_path)
    )
    return tuple((label or _("not filled in"), n) for label, n in rows)


def centers_by(scope) -> list[Chart]:
    kinds = centers(scope).order_by().values_list("kind").annotate(n=Count("pk"))
    return [
        Chart(
            key="centers-by-field",
            title=_("Designated centers by industry field"),
            kind="hbar",
            columns=(_("Industry field"), _("Number of centers")),
            rows=_by(scope, "industry_field", "industry_field__name"),
            order=20,
        ),
        Chart(
            key="centers-by-city",
            title=_("Designated centers by city"),
            kind="bar",
            columns=(pgettext("chart column", "City"), _("Number of centers")),
            rows=_by(scope, "city", "city__name"),
            order=21,
        ),
        Chart(
            key="centers-by-kind",
            title=_("Designated centers by kind"),
            kind="pie",
            columns=(pgettext("center kind", "Kind"), _("Number of centers")),
            rows=labelled_counts(kinds, dict(CenterKind.choices)),
            order=22,
        ),
    ]


def _month(value) -> str:
    return f"{value:%Y-%m}"


def _months_between(months: list[str]) -> list[str]:
    """Every month from the first to the last (a month without any is a row of zeros)."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= months[-1]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def per_month(scope) -> list[Chart]:
    """Plans submitted (first submission) and centers designated, per month (Asia/Shanghai)."""
    submitted = (
        scope.narrow(Application.objects.exclude(status=Status.DRAFT), "department")
        .filter(submitted_at__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    designated = (
        centers(scope)
        .annotate(month=TruncMonth("designated_on"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    plans = {_month(m): n for m, n in submitted}
    made = {_month(m): n for m, n in designated}
    months = _months_between(sorted(set(plans) | set(made)))
    return [
        Chart(
            key="per-month",
            title=_("Plans submitted and centers designated per month"),
            kind="line",
            columns=(_("Month"), _("Plans submitted"), _("Centers designated")),
            rows=tuple((m, plans.get(m, 0), made.get(m, 0)) for m in months),
            note=_("Plans are counted by their latest submission."),
            order=30,
        )
    ]


def overdue(scope) -> list[Chart]:
    """Rows of the shared "overdue items" chart: annual reports past their deadline, change
    requests waiting longer than the reminder limit (CENTER_REMINDER_WORKING_DAYS)."""
    from workdays.services import working_days_waited

    from .selectors_center import overdue as overdue_reports
    from .services.change_reminders import reminder_working_days

    today = timezone.localdate()
    reports = len(overdue_reports(scope.user, today=today))
    waiting = scope.narrow(
        CenterChangeRequest.objects.filter(
            status__in=[ChangeStatus.DEPT_REVIEW, ChangeStatus.PROVINCE_REVIEW],
            waiting_since__isnull=False,
        ),
        "center__department",
    ).values_list("waiting_since", flat=True)
    since = [local_date(w) for w in waiting]
    days = working_days_waited(set(since), today)
    limit = reminder_working_days()
    late_changes = sum(1 for s in since if (days.get(s) or 0) > limit)
    return [
        Chart(
            key="overdue",
            title=_("Overdue items"),
            kind="hbar",
            columns=(_("Overdue item"), _("Number of items")),
            rows=(
                (_("Annual reports past their deadline"), reports),
                (
                    _("Change requests waiting more than %(days)s working days") % {"days": limit},
                    late_changes,
                ),
            ),
            order=60,
        )
    ]


PROVIDERS = [centers_by, per_month, overdue]
