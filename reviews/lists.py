"""The expert review's officer lists (accounts/listing.py): the pool and the panels."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.listing import Column, ListDef, ListFilterForm, text_search
from accounts.roles import PROVINCIAL_OFFICER, user_roles
from applications.models import Application, Status

from . import selectors
from .forms import ExpertFilterForm
from .models import ExpertProfile


def _experts_base(user):
    if PROVINCIAL_OFFICER not in user_roles(user):
        return ExpertProfile.objects.none()
    return selectors.experts_filtered()


def _experts_apply(qs, f: dict):
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("active") in ("1", "0"):
        qs = qs.filter(is_active=f["active"] == "1")
    if f.get("field"):
        qs = qs.filter(industry_fields=f["field"])
    if f.get("q"):
        qs = qs.filter(pk__in=selectors.experts_filtered(q=f["q"]).values("pk"))
    return qs


EXPERTS = ListDef(
    name="experts",
    title="专家库",
    form_class=ExpertFilterForm,
    base=_experts_base,
    apply=_experts_apply,
    columns=(
        Column("姓名", lambda e: str(e.user)),
        Column("用户名", lambda e: e.user.username),
        Column("专家类别", lambda e: e.get_kind_display()),
        Column("产业领域", lambda e: "、".join(f.name for f in e.industry_fields.all())),
        Column("工作单位", lambda e: e.employer_name),
        Column("职称", lambda e: e.title),
        Column("状态", lambda e: "在库" if e.is_active else "停用"),
    ),
)


class PanelFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All states")),
            (Status.EXPERT_REVIEW, Status.EXPERT_REVIEW.label),
            (Status.IMPROVING, Status.IMPROVING.label),
        ],
    )
    panel = forms.ChoiceField(
        label=pgettext_lazy("expert panel", "Panel"),
        required=False,
        choices=[("", _("All")), ("none", _("Not formed yet")), ("formed", _("Formed"))],
    )


def _panels_base(user):
    if PROVINCIAL_OFFICER not in user_roles(user):
        return Application.objects.none()
    return selectors.applications_for_panels(user=user)


def _panels_apply(qs, f: dict):
    qs = text_search(qs, f.get("q", ""), "name", "number", "organization__name")
    if f.get("state"):
        qs = qs.filter(status=f["state"])
    if f.get("panel") == "none":
        qs = qs.filter(panel__isnull=True)
    elif f.get("panel") == "formed":
        qs = qs.filter(panel__isnull=False)
    return qs


def _panel_state(app) -> str:
    panel = getattr(app, "panel", None)
    if panel is None:
        return "尚未组建"
    outcome = f"（{panel.get_outcome_display()}）" if panel.outcome else ""
    return f"{panel.get_status_display()}{outcome}"


PANELS = ListDef(
    name="panels",
    title="专家评审",
    form_class=PanelFilterForm,
    base=_panels_base,
    apply=_panels_apply,
    columns=(
        Column("申请编号", lambda a: a.number),
        Column("创新中心名称", lambda a: a.full_name),
        Column("牵头单位", lambda a: a.organization.name),
        Column("状态", lambda a: a.get_status_display()),
        Column("专家组", _panel_state),
        Column("已提交评分", lambda a: a.submitted_sheets),
    ),
)

LISTS = [EXPERTS, PANELS]
