"""Admin for the working-day calendar. Every change goes through workdays.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CalendarDay, Year, weekday_name

ENTRY_HELP = _(
    "Enter the State Council General Office notice on the holiday arrangement of the year: "
    "add every holiday that falls on Monday to Friday (leave “working day” unticked) and every "
    "Saturday or Sunday that is a make-up working day (tick “working day”). Holidays that fall "
    "on a weekend need not be entered. When all days are entered and checked, tick “complete”."
)


def _sync_saved(obj, saved) -> None:
    """Let the admin continue with the row the service wrote (pk, logging, redirect)."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db


class CalendarDayInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not getattr(self.instance, "complete", False):
            return
        holidays = [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("is_working_day") is False
        ]
        if not holidays:
            raise ValidationError(
                _("A year without any holiday cannot be marked complete. Enter its holidays first.")
            )


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayInlineFormSet
    fields = ("date", "weekday", "is_working_day", "name", "source")
    readonly_fields = ("weekday",)
    extra = 3
    ordering = ("date",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return weekday_name(obj.date) if obj and obj.date else "-"


def _save_day_formset(request, formset) -> None:
    """Apply an inline formset of days through the services, and tell the admin what changed."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.deleted_forms:
        if form.instance.pk is not None:
            services.calendar_day_delete(actor=request.user, day=form.initial["date"])
            formset.deleted_objects.append(form.instance)
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed() or not form.cleaned_data:
            continue
        data = form.cleaned_data
        old_date = form.initial.get("date") if form.instance.pk is not None else None
        if old_date is not None and old_date != data["date"]:
            services.calendar_day_delete(actor=request.user, day=old_date)
        saved = services.calendar_day_save(
            actor=request.user,
            day=data["date"],
            is_working_day=data["is_working_day"],
            name=data["name"],
            source=data.get("source", ""),
        )
        if form.instance.pk is None:
            _sync_saved(form.instance, saved)
            formset.new_objects.append(form.instance)
        else:
            formset.changed_objects.append((form.instance, form.changed_data))


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    list_display = (
        "year",
        "complete",
        "is_demo",
        "holiday_count",
        "workday_count",
        "source",
        "entered_by",
        "updated_at",
    )
    list_filter = ("complete", "is_demo")
    list_select_related = ("entered_by",)
    ordering = ("-year",)
    search_fields = ("=year", "source", "note")
    readonly_fields = ("is_demo", "entered_by", "updated_at")
    fieldsets = (
        (
            None,
            {
                "description": ENTRY_HELP,
                "fields": (
                    "year",
                    "source",
                    "note",
                    "complete",
                    "is_demo",
                    "entered_by",
                    "updated_at",
                ),
            },
        ),
    )
    inlines = [CalendarDayInline]
    actions = ["mark_complete", "mark_incomplete"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _holidays=Count("days", filter=Q(days__is_working_day=False)),
                _workdays=Count("days", filter=Q(days__is_working_day=True)),
            )
        )

    @admin.display(description=_("holidays on weekdays"), ordering="_holidays")
    def holiday_count(self, obj):
        return obj._holidays

    @admin.display(description=_("make-up working days"), ordering="_workdays")
    def workday_count(self, obj):
        return obj._workdays

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "year") if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.year_save(
            actor=request.user, year=obj.year, source=obj.source, note=obj.note
        )
        _sync_saved(obj, saved)

    def save_formset(self, request, form, formset, change):
        _save_day_formset(request, formset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the days, so that a new year's days and its "complete" tick go in one submit.
        year = form.instance.year
        stored = Year.objects.get(year=year)
        if form.cleaned_data.get("complete") and not stored.complete:
            services.year_mark_complete(actor=request.user, year=year)
        elif not form.cleaned_data.get("complete") and stored.complete:
            services.year_mark_incomplete(actor=request.user, year=year)

    @admin.action(description=_("Mark selected years complete"), permissions=["change"])
    def mark_complete(self, request, queryset):
        for year in queryset.order_by("year"):
            try:
                services.year_mark_complete(actor=request.user, year=year.year)
            except services.CalendarError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request, _("%(year)s is marked complete.") % {"year": year}, messages.SUCCESS
                )

    @admin.action(description=_("Mark selected years incomplete"), permissions=["change"])
    def mark_incomplete(self, request, queryset):
        for year in queryset.order_by("year"):
            services.year_mark_incomplete(actor=request.user, year=year.year)
            self.message_user(
                request, _("%(year)s is marked incomplete.") % {"year": year}, messages.WARNING
            )


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "is_working_day", "name", "source")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "is_working_day", "name", "year_number", "source")
    list_filter = ("year", "is_working_day")
    search_fields = ("name", "source")
    date_hierarchy = "date"
    ordering = ("-date",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return weekday_name(obj.date)

    @admin.display(description=_("year"), ordering="year")
    def year_number(self, obj):
        return obj.year_id

    def get_readonly_fields(self, request, obj=None):
        return ("date",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        saved = services.calendar_day_save(
            actor=request.user,
            day=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            source=obj.source,
        )
        _sync_saved(obj, saved)

    def delete_model(self, request, obj):
        services.calendar_day_delete(actor=request.user, day=obj.date)

    def delete_queryset(self, request, queryset):
        for day in queryset.order_by("date"):
            services.calendar_day_delete(actor=request.user, day=day.date)
