from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .models import DocumentNumberSequence, IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: issued documents are records. Corrections are issued from the document page."""

    list_display = ("number", "title", "kind", "issued_at", "issued_by", "supersedes", "download")
    list_filter = ("kind", "year")
    search_fields = ("number", "title")
    list_select_related = ("issued_by", "supersedes")
    readonly_fields = [f.name for f in IssuedDocument._meta.fields] + ["download"]
    exclude = ("content_type", "object_id")

    @admin.display(description=_("File"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("documents:download", kwargs={"pk": obj.pk}),
            _("Download PDF"),
            reverse("documents:detail", kwargs={"pk": obj.pk}),
            _("Details"),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SequenceForm(forms.ModelForm):
    class Meta:
        model = DocumentNumberSequence
        fields = ("prefix", "year", "last")

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and cleaned.get("last") is not None
            and cleaned["last"] < self.instance.last
        ):
            raise forms.ValidationError(
                f"已用到{self.instance.last}号，只能调大，不能调小（否则文号会重复）。"
            )
        return cleaned


@admin.register(DocumentNumberSequence)
class DocumentNumberSequenceAdmin(admin.ModelAdmin):
    """Raise a year's counter when numbers of the series were issued outside the system."""

    form = SequenceForm
    list_display = ("prefix", "year", "last")

    def get_readonly_fields(self, request, obj=None):
        return ("prefix", "year") if obj else ()

    def save_model(self, request, obj, form, change):
        row = services.raise_number_sequence(
            actor=request.user, prefix=obj.prefix, year=obj.year, last=obj.last
        )
        obj.pk = row.pk

    def has_delete_permission(self, request, obj=None):
        return False
