from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import IssuedDocument


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
