from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Center,
    CenterName,
    IndustryField,
    Meeting,
    MeetingItem,
    Objection,
    PublicityItem,
    PublicityNotice,
    StrategicArea,
)

# --- Reference data (foundation engineer) ------------------------------------


@admin.register(IndustryField)
class IndustryFieldAdmin(admin.ModelAdmin):
    """The 14+N industry fields: administrators add new ones and retire old ones with "valid to"."""

    list_display = ("code", "name", "name_en", "order", "valid_from", "valid_to", "is_current")
    list_display_links = ("code", "name")
    search_fields = ("code", "name", "name_en")
    ordering = ("order", "code")

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj):
        today = timezone.localdate()
        return (obj.valid_from is None or obj.valid_from <= today) and (
            obj.valid_to is None or obj.valid_to >= today
        )

    def has_delete_permission(self, request, obj=None):
        # Plans and centers refer to fields; retire a field with "valid to" instead.
        return False


@admin.register(StrategicArea)
class StrategicAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "order")
    search_fields = ("name", "name_en")
    ordering = ("order",)


# --- Centers (centers engineer: add your admin classes below) -----------------


# --- office meetings, publicity, objections, designated centers (read-only here) ----------
# Changes go through centers.services (views, tasks); the admin only shows the records.
# Objector identities are deliberately not shown here: only officers handling an objection
# see them, on the objection page.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeetingItemInline(admin.TabularInline):
    model = MeetingItem
    fields = ["order", "application", "decision", "reason", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # each row shows its plan and decider, and its title names the meeting
        return super().get_queryset(request).select_related("meeting", "application", "decided_by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "held_on", "status", "closed_at"]
    list_filter = ["status"]
    inlines = [MeetingItemInline]


class PublicityItemInline(admin.TabularInline):
    model = PublicityItem
    fields = ["order", "center_name", "lead_organization_name", "kind", "field_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PublicityNotice)
class PublicityNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "start_date", "end_date", "published_by"]
    inlines = [PublicityItemInline]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "item", "status", "submitted_at", "resolved_at"]
    list_filter = ["status"]
    fields = ["receipt_number", "item", "objector_kind", "status", "submitted_at", "resolved_at"]
    search_fields = ["receipt_number"]


class CenterNameInline(admin.TabularInline):
    model = CenterName
    fields = ["name", "valid_from", "valid_to", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Center)
class CenterAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "name",
        "kind",
        "industry_field",
        "lead_organization",
        "designated_on",
        "status",
    ]
    list_filter = ["status", "kind", "industry_field", "city"]
    list_select_related = ["industry_field", "lead_organization"]
    search_fields = ["number", "name", "lead_organization__name"]
    inlines = [CenterNameInline]


# Read-only admins of change requests (Art. 15), profiles and annual reports.
from . import admin_changes, admin_profile  # noqa: E402, F401
