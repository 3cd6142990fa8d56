"""Annual reports (年度报告) of designated centers: the base data of the past year.

The state graph is declared here (django-fsm); every transition runs through
``centers.services.reports`` (select_for_update, audit event, notifications on commit).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

__all__ = ["AnnualReport", "AnnualReportFile", "ReportDeadlineReminder", "ReportStatus"]

# (field name, Chinese label, unit, kind) — the base data the three-year evaluation uses.
# ``target`` names the plan's standard target compared with it, if any.
REPORT_FIGURES = (
    ("rd_spending_wan", _("R&D spending"), _("10,000 yuan"), "money", "rd_spending_wan"),
    ("rd_staff", _("R&D staff"), _("persons"), "count", "staff"),
    ("senior_talent", _("High-level talent"), _("persons"), "count", ""),
    ("invention_patents", _("Invention patents"), _("pieces"), "count", "patents"),
    ("standards", _("Standards"), _("items"), "count", "standards"),
    ("new_products", _("New products and processes"), _("items"), "count", ""),
    ("results_transferred", _("Results transferred"), _("items"), "count", ""),
    ("transfer_income_wan", _("Income from transferred results"), _("10,000 yuan"), "money", ""),
    (
        "incubated_enterprises",
        _("Incubated enterprises"),
        _("enterprises"),
        "count",
        "incubated_enterprises",
    ),
    (
        "service_income_wan",
        _("Technical service income"),
        _("10,000 yuan"),
        "money",
        "service_income_wan",
    ),
    ("enterprises_served", _("Enterprises served"), _("enterprises"), "count", ""),
    ("shared_instruments", _("Shared instruments"), _("units"), "count", ""),
)
FIGURE_NAMES = tuple(f[0] for f in REPORT_FIGURES)
MONEY_FIGURES = tuple(f[0] for f in REPORT_FIGURES if f[3] == "money")


def report_file_path(instance, filename):
    """MEDIA_ROOT/private/centers/annual-reports/...; never served by URL (views check access)."""
    import uuid
    from pathlib import PurePath

    from django.utils import timezone

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"private/centers/annual-reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def deadline_for(year: int) -> dt.date:
    """The report on ``year`` is due on the configured day of the next year (default 31 March)."""
    month, day = getattr(settings, "CENTERS_ANNUAL_REPORT_DEADLINE", (3, 31))
    return dt.date(year + 1, month, day)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, awaiting review")
    RETURNED = "returned", _("returned, to be revised")
    ACCEPTED = "accepted", _("passed review")


DONE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _money(label):
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class AnnualReport(models.Model):
    Status = ReportStatus

    center = models.ForeignKey(
        "centers.Center", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    status = FSMField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
        protected=False,
    )
    summary = models.TextField(_("summary"), blank=True)
    rd_spending_wan = _money(_("R&D spending (10,000 yuan)"))
    rd_staff = _count(_("R&D staff (persons)"))
    senior_talent = _count(_("High-level talent (persons)"))
    invention_patents = _count(_("Invention patents (pieces)"))
    standards = _count(_("Standards (items)"))
    new_products = _count(_("New products and processes (items)"))
    results_transferred = _count(_("Results transferred (items)"))
    transfer_income_wan = _money(_("Income from transferred results (10,000 yuan)"))
    incubated_enterprises = _count(_("Incubated enterprises (enterprises)"))
    service_income_wan = _money(_("Technical service income (10,000 yuan)"))
    enterprises_served = _count(_("Enterprises served (enterprises)"))
    shared_instruments = _count(_("Shared instruments (units)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_reason = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["center", "-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="one_report_per_center_year"),
            models.CheckConstraint(
                condition=(
                    (Q(rd_spending_wan__isnull=True) | Q(rd_spending_wan__gte=0))
                    & (Q(transfer_income_wan__isnull=True) | Q(transfer_income_wan__gte=0))
                    & (Q(service_income_wan__isnull=True) | Q(service_income_wan__gte=0))
                ),
                name="annual_report_money_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.center} {self.year}年度报告"

    @property
    def deadline(self) -> dt.date:
        return deadline_for(self.year)

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @transition(
        field=status,
        source=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        target=ReportStatus.SUBMITTED,
    )
    def submit(self):
        pass

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.RETURNED)
    def send_back(self):
        pass


class AnnualReportFile(models.Model):
    """A file of an annual report (PDF or image, checked by content); private."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("annual report file")
        verbose_name_plural = _("annual report files")

    def __str__(self):
        return self.name


class DeadlineReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("reminder before the deadline")
    OVERDUE = "overdue", _("overdue notice")


class ReportDeadlineReminder(models.Model):
    """One deadline reminder (before, or overdue) about one center's report on one year.

    Written in the same transaction as the message; the unique constraint refuses a second."""

    Kind = DeadlineReminderKind

    center = models.ForeignKey(
        "centers.Center", on_delete=models.CASCADE, related_name="report_deadline_reminders"
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineReminderKind.choices)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["center", "year", "kind"]
        verbose_name = _("annual report deadline reminder")
        verbose_name_plural = _("annual report deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "year", "kind"], name="centers_one_report_deadline_reminder"
            )
        ]

    def __str__(self):
        return f"{self.center_id} {self.year} {self.kind}"
