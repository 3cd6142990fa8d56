"""Admin of change requests (Art. 15): read-only; every change goes through the services."""

from django.contrib import admin

from .models_changes import CenterChange, CenterChangeRequest, ChangeAttachment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChangeAttachmentInline(admin.TabularInline):
    model = ChangeAttachment
    fields = ["name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
