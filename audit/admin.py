import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .selectors import state_labels


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, nobody adds, changes or deletes events here."""

    # The action code stays searchable and on the event's page; the list reads as labels.
    list_display = ("created_at", "label", "actor", "target_repr", "transition", "ip")
    list_filter = ("created_at", "target_type")
    date_hierarchy = "created_at"
    search_fields = ("target_repr", "action", "actor__username", "actor__last_name", "target_id")
    list_select_related = ("actor", "target_type")
    ordering = ("-created_at", "-pk")
    fields = (
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "from_state",
        "to_state",
        "pretty_data",
        "ip",
    )
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("label"))
    def label(self, obj):
        return obj.data.get("label", "") if isinstance(obj.data, dict) else ""

    @admin.display(description=_("transition"))
    def transition(self, obj):
        if not (obj.from_state or obj.to_state):
            return ""
        data = obj.data if isinstance(obj.data, dict) else {}
        labels = state_labels(obj)
        old = data.get("from_label") or labels.get(obj.from_state, obj.from_state)
        new = data.get("to_label") or labels.get(obj.to_state, obj.to_state)
        return f"{old or '—'} → {new or '—'}"

    @admin.display(description=_("data"))
    def pretty_data(self, obj):
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.data, ensure_ascii=False, indent=2, sort_keys=True)
        )
