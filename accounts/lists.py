"""The organizations list of the verifying departments (accounts/listing.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ReferenceChoiceField
from .listing import Column, ListDef, ListFilterForm, date_field, date_range, text_search
from .models import City, Organization


class OrganizationFilterForm(ListFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Organization.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("organization type"),
        required=False,
        choices=[("", _("All")), *Organization.Type.choices],
    )
    city = ReferenceChoiceField(
        label=_("City"), required=False, queryset=City.objects.all(), empty_label=_("All")
    )
    date_from = date_field(_("Registered from"))
    date_to = date_field(_("Registered until"))


def pending_for(user):
    qs = Organization.objects.select_related(
        "registered_city", "verifying_department", "registration"
    )
    if not user.is_authenticated or user.department_id is None:
        return qs.none()
    qs = qs.filter(verifying_department_id=user.department_id)
    if not (user.has_role("department_reviewer") or user.has_role("provincial_officer")):
        return qs.none()
    if not user.has_role("department_reviewer"):
        qs = qs.filter(verifying_department__kind="province_st")
    return qs


def _apply(qs, f):
    qs = text_search(qs, f.get("q", ""), "name", "credit_code")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("kind"):
        qs = qs.filter(org_type=f["kind"])
    if f.get("city"):
        qs = qs.filter(registered_city=f["city"])
    return date_range(qs, "created_at__date", f).order_by("-created_at", "pk")


ORGANIZATIONS = ListDef(
    name="organizations",
    title="单位核验",
    form_class=OrganizationFilterForm,
    base=pending_for,
    apply=_apply,
    defaults=lambda user: {"status": Organization.Status.PENDING},
    columns=(
        Column("单位名称", lambda o: o.name),
        Column("统一社会信用代码", lambda o: o.credit_code),
        Column("单位类型", lambda o: o.get_org_type_display()),
        Column("注册地", lambda o: f"{o.registered_province}{o.registered_city or ''}"),
        Column("注册时间", lambda o: timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M")),
        Column("状态", lambda o: o.get_status_display()),
    ),
)

LISTS = [ORGANIZATIONS]
