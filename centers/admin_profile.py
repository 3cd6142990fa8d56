"""Admin of center profiles and annual reports: read-only; every change goes through
centers.services.profile and centers.services.reports."""

from django.contrib import admin

from .admin_common import ReadOnlyAdmin, ReadOnlyFileInline
from .models_profile import CenterProfile
from .models_reports import AnnualReport, AnnualReportFile


class AnnualReportFileInline(ReadOnlyFileInline):
    model = AnnualReportFile


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["center", "year", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "year"]
    search_fields = ["center__name", "center__number"]
    exclude = ["created_by", "submitted_by", "decided_by"]
    inlines = [AnnualReportFileInline]


@admin.register(CenterProfile)
class CenterProfileAdmin(ReadOnlyAdmin):
    list_display = ["center", "legal_entity_type", "contact_name", "updated_at"]
    list_filter = ["legal_entity_type"]
    search_fields = ["center__name", "center__number"]
    exclude = ["updated_by"]
