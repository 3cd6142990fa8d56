from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import transaction
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.admin import GuardedModelAdmin

from audit.services import record

from .models import City, Department, Organization, OrganizationRegistration, User
from .roles import ROLE_LABELS, group_name
from .services.two_factor import remove_devices

# django-otp's device admins show the secret keys and delete devices without an audit event;
# an administrator resets a user's second factor with the user list's action instead.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

admin.site.site_header = _("Shanxi Technology Innovation Center Platform: administration")
admin.site.site_title = _("Shanxi Technology Innovation Center Platform")
admin.site.index_title = pgettext_lazy("admin index", "Administration")


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return list(ROLE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in ROLE_LABELS:
            return queryset.filter(groups__name=group_name(self.value()))
        return queryset


class OneUnitMixin:
    """A user belongs to one organization OR one department, never both."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and cleaned.get("department"):
            message = gettext("A user belongs to one organization or one department, not both.")
            self.add_error("organization", message)
            self.add_error("department", message)
        return cleaned


class AdminUserChangeForm(OneUnitMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class AdminUserCreationForm(OneUnitMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "organization", "department")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = (
        "username",
        "display_name",
        "unit_display",
        "roles_display",
        "is_active",
        "is_staff",
    )
    list_filter = (RoleFilter, "is_active", "is_staff", "is_superuser", "department")
    search_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "organization__name",
        "department__name",
    )
    list_select_related = ("organization", "department")
    # the groups include one per organization: picked by autocomplete, not listed in full
    autocomplete_fields = ("organization", "groups")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email", "phone")}),
        (_("Unit"), {"fields": ("organization", "department")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "organization", "department"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.action(description=_("Reset two-factor sign-in"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            remove_devices(actor=request.user, user=user)
        text = gettext("Two-factor sign-in reset for %(count)d accounts; they set it up anew.")
        self.message_user(request, text % {"count": len(queryset)})

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description=_("unit"))
    def unit_display(self, obj):
        return obj.unit or "—"

    @admin.display(description=_("roles"))
    def roles_display(self, obj):
        codes = [g.name.split(":", 1)[1] for g in obj.groups.all() if g.name.startswith("role:")]
        return "、".join(str(ROLE_LABELS.get(c, c)) for c in codes) or "—"


class MemberInline(admin.TabularInline):
    model = User
    fields = ("username", "last_name", "first_name", "email", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("account")
    verbose_name_plural = _("accounts")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(GuardedModelAdmin):
    list_display = ("name", "credit_code", "org_type", "registered_city", "status", "created_at")
    list_filter = ("org_type", "registered_city", "status", "is_legal_person")
    search_fields = ("name", "credit_code", "contact_name")
    list_select_related = ("registered_city",)
    # Verification is a state change: it goes through the registration service, not a field edit.
    readonly_fields = ("status", "verifying_department", "group", "created_at")
    inlines = [MemberInline]
    fieldsets = (
        (None, {"fields": ("name", "credit_code", "org_type", "is_legal_person")}),
        (_("Registration"), {"fields": ("registered_province", "registered_city", "address")}),
        (_("Contact"), {"fields": ("contact_name", "contact_phone")}),
        (
            _("Verification"),
            {"fields": ("status", "verifying_department", "group", "created_at")},
        ),
    )

    def save_model(self, request, obj, form, change):
        """An administrator's correction is saved with an audit event of the old and new values,
        in the same transaction (verification itself stays with the registration service)."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and form.changed_data:
                record(
                    actor=request.user,
                    action="accounts.organization.admin_change",
                    target=obj,
                    data={
                        "label": "管理员更正单位信息",
                        "old": {f: _plain(form.initial.get(f)) for f in form.changed_data},
                        "new": {f: _plain(form.cleaned_data.get(f)) for f in form.changed_data},
                    },
                )


def _plain(value):
    return value if isinstance(value, str | int | bool | type(None)) else str(value)


@admin.register(Department)
class DepartmentAdmin(GuardedModelAdmin):
    list_display = ("name", "kind", "city")
    list_filter = ("kind", "city")
    search_fields = ("name",)
    list_select_related = ("city",)
    readonly_fields = ("group",)
    inlines = [MemberInline]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "division_code", "order")
    search_fields = ("name", "division_code")
    ordering = ("order", "division_code")


@admin.register(OrganizationRegistration)
class OrganizationRegistrationAdmin(admin.ModelAdmin):
    """Read-only: registrations are decided through accounts.services (verification)."""

    list_display = ["organization", "registered_by", "created_at", "decided_by", "decided_at"]
    list_select_related = ["organization", "registered_by", "decided_by"]
    exclude = ["licence"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
