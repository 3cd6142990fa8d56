from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Sequence


class SequenceForm(forms.ModelForm):
    class Meta:
        model = Sequence
        fields = ("kind", "year", "last")
        help_texts = {
            "kind": _(
                "application (application numbers), center (center numbers) or "
                "document:<prefix> (document numbers, e.g. document:晋科发)"
            ),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and cleaned.get("last") is not None
            and cleaned["last"] < self.instance.last
        ):
            raise forms.ValidationError(
                f"已用到{self.instance.last}号，只能调大，不能调小（否则编号会重复）。"
            )
        return cleaned


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    """Raise a year's counter when numbers of the series were issued outside the system."""

    form = SequenceForm
    list_display = ("label", "kind", "year", "last")
    list_filter = ("year",)

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "year") if obj else ()

    def save_model(self, request, obj, form, change):
        try:
            row = services.raise_to(actor=request.user, kind=obj.kind, year=obj.year, last=obj.last)
        except services.SequenceError as exc:  # lowered between the form check and the lock
            messages.error(request, str(exc))
            return
        obj.pk = row.pk

    def has_delete_permission(self, request, obj=None):
        return False
