"""Admin of change requests (Art. 15): read-only; every change goes through the services."""

from django.contrib import admin

from .admin_common import ReadOnlyAdmin, ReadOnlyFileInline
from .models_changes import CenterChange, CenterChangeRequest, ChangeAttachment


class ChangeAttachmentInline(ReadOnlyFileInline):
    model = ChangeAttachment


@admin.register(CenterChangeRequest)
class CenterChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["center", "kind", "status", "submitted_at", "province_decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["center__name", "center__number", "new_name"]
    list_select_related = ["center"]
    inlines = [ChangeAttachmentInline]


@admin.register(CenterChange)
class CenterChangeAdmin(ReadOnlyAdmin):
    list_display = ["center", "kind", "applied_on"]
    list_filter = ["kind"]
    search_fields = ["center__name", "center__number"]
    list_select_related = ["center"]
