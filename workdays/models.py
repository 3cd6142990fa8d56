"""The working-day calendar.

Only the days that differ from the Monday–Friday rule are stored: statutory
holidays that fall on a weekday (``is_working_day=False``) and weekend make-up
working days (调休上班, ``is_working_day=True``). A holiday that falls on a
Saturday or Sunday is not stored; it is a day off anyway. Every stored row
therefore satisfies ``is_working_day == (date is a weekend day)``.

A ``Year`` row says whether a year's State Council arrangement has been
entered completely. Services refuse to answer for a year that is not complete.
"""

from datetime import date as date_type

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]

MIN_YEAR = 2000
MAX_YEAR = 2100


def weekday_name(day: date_type) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def is_weekend(day: date_type) -> bool:
    return day.weekday() >= 5


def day_problem(day: date_type, is_working_day: bool) -> str | None:
    """Why this day cannot be stored as an exception (Chinese), or None."""
    if is_working_day and not is_weekend(day):
        return (
            f"{day.isoformat()}是{weekday_name(day)}，本来就是工作日；"
            "调休上班日只能是星期六或星期日。"
        )
    if not is_working_day and is_weekend(day):
        return (
            f"{day.isoformat()}是{weekday_name(day)}，本来就是休息日，无需录入为节假日；"
            "只需录入落在星期一至星期五的节假日。"
        )
    return None


class Year(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Tick only after every holiday and make-up working day of the State Council "
            "arrangement for this year has been entered. Deadlines in an incomplete year "
            "cannot be computed."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the title and number of the State Council General Office notice."),
    )
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(
        _("demo arrangement"),
        default=False,
        editable=False,
        help_text=_(
            "Entered by seed_demo so that the demo works on any date: weekends off, no "
            "holidays. Not the State Council arrangement; enter the real one before use."
        ),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return f"{self.year}年（演示用安排）" if self.is_demo else f"{self.year}年"


class CalendarDay(models.Model):
    date = models.DateField(_("date"), unique=True)
    # The column is the plain year number (indexed); the foreign key lets the
    # admin edit a year's days inline and guarantees the Year row exists.
    year = models.ForeignKey(
        Year,
        verbose_name=_("year"),
        to_field="year",
        db_column="year",
        on_delete=models.PROTECT,
        related_name="days",
    )
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a weekend make-up working day. Not ticked: a holiday on a weekday."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. 国庆节, 春节调休上班."))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        kind = "调休上班" if self.is_working_day else "放假"
        return f"{self.date.isoformat()} {self.name}（{kind}）"

    def clean(self):
        errors = {}
        if isinstance(self.date, date_type):
            if self.is_working_day is not None:
                problem = day_problem(self.date, self.is_working_day)
                if problem:
                    errors["is_working_day"] = problem
            if self.year_id is not None and self.date.year != self.year_id:
                errors["date"] = f"{self.date.isoformat()}不属于{self.year_id}年。"
        if errors:
            raise ValidationError(errors)
