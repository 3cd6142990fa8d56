"""Admin: indicator templates are configured here by administrators (frozen once used: read
only, copied to a new version by an action); evaluations are read-only (services write)."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centers.admin_common import ReadOnlyAdmin

from .models import Dimension, Evaluation, Indicator, IndicatorTemplate
from .services import templates as services
from .services.common import EvaluationError


def _frozen(obj) -> bool:
    template = obj if isinstance(obj, IndicatorTemplate) else None
    if isinstance(obj, Dimension):
        template = obj.template
    if isinstance(obj, Indicator):
        template = obj.dimension.template
    return bool(template and template.frozen)


class FrozenAware:
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _frozen(obj)


class DimensionInline(FrozenAware, admin.TabularInline):
    model = Dimension
    fields = ["order", "name", "weight"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _frozen(obj)


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(FrozenAware, admin.ModelAdmin):
    list_display = [
        "name",
        "version",
        "is_current",
        "excellent_min",
        "good_min",
        "pass_min",
        "frozen_at",
    ]
    readonly_fields = ["is_current", "frozen_at"]
    inlines = [DimensionInline]
    actions = ["copy_as_new_version", "use_for_new_evaluations"]

    @admin.action(description=gettext_lazy("Copy as a new version"))
    def copy_as_new_version(self, request, queryset):
        for template in queryset:
            copy = services.new_version(actor=request.user, template_id=template.pk)
            messages.success(request, _("Copied as %(template)s.") % {"template": copy})

    @admin.action(description=gettext_lazy("Use for newly opened evaluations"))
    def use_for_new_evaluations(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, _("Choose one indicator template only."))
            return
        try:
            services.make_current(actor=request.user, template_id=queryset.get().pk)
        except EvaluationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Now used for newly opened evaluations."))


@admin.register(Indicator)
class IndicatorAdmin(FrozenAware, admin.ModelAdmin):
    list_display = ["name", "dimension", "points", "rule", "target_source", "source_key"]
    list_filter = ["dimension__template", "rule"]
    ordering = ["dimension__template", "dimension__order", "order"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = [
        "center",
        "cycle",
        "status",
        "institution",
        "proposed_grade",
        "grade",
        "outcome",
    ]
    list_filter = ["status", "grade", "outcome"]
    list_select_related = ["center", "institution"]
    search_fields = ["center__name", "center__number"]
    exclude = ["opened_by", "proposed_by", "decided_by"]
