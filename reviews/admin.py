"""Administrators define score templates here; a template is frozen once a panel uses it."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMINISTRATOR

from .models import Criterion, ExpertProfile, Panel, PanelDraw, ScoreTemplate


class AdministratorsManage:
    """System administrators (role, staff) manage score templates without model permissions."""

    def _is_admin(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and request.user.has_role(ADMINISTRATOR)
        )

    def has_module_permission(self, request):
        return self._is_admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._is_admin(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request) or super().has_delete_permission(request, obj)


class CriterionInline(AdministratorsManage, admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ["order", "name", "name_en", "description", "description_en", "max_points"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


@admin.register(ScoreTemplate)
class ScoreTemplateAdmin(AdministratorsManage, admin.ModelAdmin):
    list_display = ["name", "version", "is_default", "frozen_at", "total_points"]
    inlines = [CriterionInline]
    actions = ["new_version"]
    readonly_fields = ["frozen_at"]

    @admin.display(description=_("total points"))
    def total_points(self, obj):
        return sum(c.max_points for c in obj.criteria.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("criteria")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return ["name", "version", "description", "frozen_at"]
        return self.readonly_fields

    @admin.action(description=_("Create a new editable version"))
    def new_version(self, request, queryset):
        for template in queryset:
            with transaction.atomic():
                last = ScoreTemplate.objects.filter(name=template.name).order_by("-version").first()
                copy = ScoreTemplate.objects.create(
                    name=template.name,
                    name_en=template.name_en,
                    version=last.version + 1,
                    description=template.description,
                )
                Criterion.objects.bulk_create(
                    [
                        Criterion(
                            template=copy,
                            name=c.name,
                            name_en=c.name_en,
                            description=c.description,
                            description_en=c.description_en,
                            max_points=c.max_points,
                            order=c.order,
                        )
                        for c in template.criteria.all()
                    ]
                )
            messages.success(request, f"已创建「{copy}」，可编辑后设为默认模板。")


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "employer_name", "title", "is_active"]
    list_filter = ["kind", "is_active", "industry_fields"]
    search_fields = ["user__username", "user__last_name", "user__first_name", "employer_name"]
    raw_id_fields = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Panels change only through the services (audit trail); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["application", "status", "outcome", "score_deadline", "created_at"]
    list_filter = ["status", "outcome"]


@admin.register(PanelDraw)
class PanelDrawAdmin(ReadOnlyAdmin):
    list_display = ["panel", "purpose", "seed", "created_by", "created_at"]
