from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import IndustryField, StrategicArea

# --- Reference data (foundation engineer) ------------------------------------


@admin.register(IndustryField)
class IndustryFieldAdmin(admin.ModelAdmin):
    """The 14+N industry fields: administrators add new ones and retire old ones with "valid to"."""

    list_display = ("code", "name", "order", "valid_from", "valid_to", "is_current")
    list_display_links = ("code", "name")
    search_fields = ("code", "name")
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
    list_display = ("name", "order")
    search_fields = ("name",)
    ordering = ("order",)


# --- Centers (centers engineer: add your admin classes below) -----------------
