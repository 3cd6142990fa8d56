"""Forms of the center's own pages: the profile's routine part and the annual report."""

from __future__ import annotations

from django import forms

from accounts.forms import BootstrapFormMixin

from .models_profile import CenterProfile, GovernanceBody, LegalEntityType
from .models_reports import REPORT_FIGURES


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CenterProfile
        fields = [
            "legal_entity_type",
            "transition_planned_on",
            "transition_plan",
            "charter",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
        ]
        labels = {
            "legal_entity_type": "法人实体类型",
            "transition_planned_on": "计划成为独立法人实体的日期",
            "transition_plan": "过渡计划",
            "charter": "章程要点",
            "contact_name": "联系人",
            "contact_phone": "联系电话",
            "contact_email": "电子邮箱",
            "address": "通讯地址",
        }
        widgets = {
            "transition_planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "transition_plan": forms.Textarea(attrs={"rows": 3}),
            "charter": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "contact_email": {"invalid": "电子邮箱格式不正确。"},
            "transition_planned_on": {
                "invalid": "计划日期格式不正确，请按 2027-06-30 的格式填写。"
            },
        }

    def clean(self):
        data = super().clean()
        if data.get("legal_entity_type") == LegalEntityType.INTERNAL_UNIT and not data.get(
            "transition_planned_on"
        ):
            self.add_error(
                "transition_planned_on", "内设机构须填写计划成为独立法人实体的日期（第十条）。"
            )
        return data


class MemberForm(BootstrapFormMixin, forms.Form):
    body = forms.ChoiceField(label="机构", choices=GovernanceBody.choices)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    position = forms.CharField(label="职务或职称", max_length=100, required=False)
    affiliation = forms.CharField(label="所在单位", max_length=200, required=False)


class ServiceForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="服务名称", max_length=50, required=False)
    description = forms.CharField(label="简要说明", max_length=300, required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=2, max_num=60)
ServiceFormSet = forms.formset_factory(ServiceForm, extra=2, max_num=30)


def _figure_field(label, unit, kind):
    full = f"{label}（{unit}）"
    if kind == "money":
        return forms.DecimalField(
            label=full,
            required=False,
            min_value=0,
            max_digits=12,
            decimal_places=2,
            error_messages={
                "invalid": f"{full}须为数字。",
                "min_value": f"{full}不能为负数。",
                "max_decimal_places": f"{full}最多保留两位小数。",
                "max_digits": f"{full}数值过大。",
                "max_whole_digits": f"{full}数值过大。",
            },
        )
    return forms.IntegerField(
        label=full,
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={
            "invalid": f"{full}须为整数。",
            "min_value": f"{full}不能为负数。",
            "max_value": f"{full}数值过大。",
        },
    )


_REPORT_FIELDS = {
    "summary": forms.CharField(
        label="年度工作总结", required=False, widget=forms.Textarea(attrs={"rows": 6})
    ),
    **{name: _figure_field(label, unit, kind) for name, label, unit, kind, _t in REPORT_FIGURES},
    "files": forms.FileField(label="附件（PDF、JPG 或 PNG，每次一个）", required=False),
}

# The summary, the twelve figures in their order, one file per save.
ReportForm = type("ReportForm", (BootstrapFormMixin, forms.Form), dict(_REPORT_FIELDS))


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("accept", "通过"), ("return", "退回修改")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结论。"},
    )
    reason = forms.CharField(
        label="意见或退回理由", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
