"""Admin: read-only views of plans, versions and attachments (state changes go through services)."""

from django.contrib import admin

from .models import Application, ApplicationVersion, Attachment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = ApplicationVersion
    fields = ["number", "reason", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "name",
        "kind",
        "organization",
        "department",
        "status",
        "submitted_at",
    ]
    list_filter = ["status", "kind", "department"]
    search_fields = ["number", "name", "organization__name", "organization__credit_code"]
    list_select_related = ["organization", "department"]
    inlines = [VersionInline]


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(ReadOnlyAdmin):
    list_display = ["application", "number", "reason", "created_by", "created_at"]
    list_select_related = ["application", "created_by"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "application", "size", "uploaded_at", "removed_at"]
    list_select_related = ["application"]
    exclude = ["file"]  # no public link; download through the application view
