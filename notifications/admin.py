from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Message


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("yes", _("read")), ("no", _("unread"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by notifications.services.notify()."""

    list_display = ("created_at", "recipient", "subject", "read_at", "emailed_at")
    list_filter = (ReadFilter, "created_at")
    date_hierarchy = "created_at"
    search_fields = ("subject", "recipient__username", "recipient__last_name")
    list_select_related = ("recipient",)
    ordering = ("-created_at", "-pk")
    fields = ("recipient", "subject", "body", "link", "created_at", "read_at", "emailed_at")
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
