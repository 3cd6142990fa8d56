"""Forms of the centers app. Error messages are Chinese; forms keep what the user typed."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import widgets
from accounts.models import City

from .files import UploadRefused, check_upload

try:  # Bootstrap classes for widgets (accounts, UI work)
    from accounts.forms import BootstrapFormMixin
except ImportError:  # pragma: no cover

    class BootstrapFormMixin:
        pass


from .models import CenterKind, CenterStatus, IndustryField, MeetingItem, Objection

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


class MeetingForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Meeting title"),
        max_length=100,
        help_text=_("For example 2026年第12次厅务会议"),
        error_messages={"required": "请填写会议名称。"},
    )
    held_on = forms.DateField(
        label=_("Meeting date"),
        widget=widgets.DateInput,
        error_messages={"required": "请填写会议日期。", "invalid": "日期格式应为 2026-09-30。"},
    )


class AgendaForm(BootstrapFormMixin, forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Plans awaiting the office meeting"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个待审议的建设方案。"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.full_name}（{a.organization.name}）"
        )


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (MeetingItem.Decision.APPROVE, "通过"),
            (MeetingItem.Decision.REJECT, "不予通过"),
            (MeetingItem.Decision.DEFER, "暂缓审议"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择会议决定。"},
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == MeetingItem.Decision.REJECT
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", "不予通过的决定必须填写理由。")
        return data


class ScanField(forms.FileField):
    """A PDF or image scan, checked by content."""

    def __init__(self, *args, check_label="文件", **kwargs):
        self.check_label = check_label
        kwargs.setdefault("error_messages", {"required": f"请上传{check_label}。"})
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_upload(upload, label=self.check_label)
            except UploadRefused as exc:
                raise forms.ValidationError(str(exc)) from exc
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleScanField(ScanField):
    def __init__(self, *args, max_files=10, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_files:
            raise forms.ValidationError(f"证明材料最多上传 {self.max_files} 个文件。")
        return [ScanField.clean(self, f, initial) for f in files]


class MinutesForm(BootstrapFormMixin, forms.Form):
    minutes = ScanField(label=_("Minutes (PDF or scan)"), check_label="会议纪要")


class PublishForm(BootstrapFormMixin, forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Plans approved by the office meeting"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个经厅会议审议通过的建设方案。"},
    )
    start_date = forms.DateField(
        label=_("Publication date (first day of the period)"),
        widget=widgets.DateInput,
        error_messages={"required": "请填写发布日期。", "invalid": "日期格式应为 2026-09-30。"},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the standard title."),
    )
    contact = forms.CharField(
        label=_("Contact for objections"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty for the department's standard contact."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.full_name}（{a.organization.name}）"
        )
        self.fields["start_date"].initial = timezone.localdate()


class ObjectionForm(BootstrapFormMixin, forms.Form):
    """A real-name written objection (DESIGN §2.3)."""

    item = forms.ModelChoiceField(
        label=_("Plan objected to"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "请选择异议针对的建设方案。",
            "invalid_choice": "请选择本公示中的建设方案。",
        },
    )
    objector_kind = forms.ChoiceField(
        label=_("You object as"),
        choices=Objection.ObjectorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择以个人还是单位名义提出异议。"},
    )
    name = forms.CharField(
        label=_("Name (of the person or the organization)"),
        max_length=100,
        error_messages={"required": "请填写真实姓名或单位名称；匿名异议不予受理。"},
    )
    organization = forms.CharField(
        label=_("Employer (individuals)"), max_length=200, required=False
    )
    contact_person = forms.CharField(
        label=_("Contact person (organizations)"), max_length=50, required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        error_messages={"required": "请填写联系电话。"},
    )
    address = forms.CharField(
        label=_("Mailing address"),
        max_length=300,
        error_messages={"required": "请填写通信地址。"},
    )
    reasons = forms.CharField(
        label=_("Reasons of the objection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=20,
        max_length=5000,
        error_messages={
            "required": "请写明异议的事实和理由。",
            "min_length": "异议理由至少写 %(limit_value)d 个字（当前 %(show_value)d 个字），请写明具体事实。",
        },
    )
    statement = ScanField(
        label=_(
            "Signed statement (individual) or statement under the official seal (organization)"
        ),
        check_label="书面异议材料（本人签名或加盖单位公章的扫描件）",
    )
    evidence = MultipleScanField(label=_("Evidence files"), check_label="证明材料")
    confirm = forms.BooleanField(
        label=_("I confirm that the information is true and that I object under my real name."),
        error_messages={"required": "请确认所填信息真实并以真实身份提出异议。"},
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            f"{i.center_name}（牵头单位：{i.lead_organization_name}）"
        )

    def clean_phone(self):
        phone = re.sub(r"[\s（）()]", "", self.cleaned_data["phone"])
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise forms.ValidationError(
                "请填写有效的联系电话：11位手机号（如13800000000）或带区号的固定电话（如0351-1234567）。"
            )
        return phone

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name in {"匿名", "无", "不详", "某某", "群众", "知情人", "anonymous"}:
            raise forms.ValidationError("请填写真实姓名或单位名称；匿名异议不予受理。")
        return name

    def clean(self):
        data = super().clean()
        kind = data.get("objector_kind")
        if kind == Objection.ObjectorKind.PERSON and not (data.get("organization") or "").strip():
            self.add_error("organization", "以个人名义提出异议的，请填写工作单位。")
        if (
            kind == Objection.ObjectorKind.ORGANIZATION
            and not (data.get("contact_person") or "").strip()
        ):
            self.add_error("contact_person", "以单位名义提出异议的，请填写联系人。")
        return data


class ObjectionLookupForm(BootstrapFormMixin, forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=20,
        error_messages={"required": "请填写回执号。"},
    )
    phone_last4 = forms.RegexField(
        label=_("Last 4 digits of the phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={
            "required": "请填写联系电话后4位。",
            "invalid": "请填写联系电话的后4位数字。",
        },
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Investigation note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写调查核实情况。"},
    )


class ResolveForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Result"),
        choices=[("dismiss", "异议不成立"), ("uphold", "异议成立（该方案不予认定）")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择异议是否成立。"},
    )
    reason = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写处理意见（异议是否成立的理由）。"},
    )


class RegistryFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all"))] + list(CenterKind.choices)
    )
    field = forms.ChoiceField(label=_("Industry field"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + list(CenterStatus.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("all"))] + [
            (f.code, f.name) for f in IndustryField.objects.all()
        ]
        self.fields["city"].choices = [("", _("all"))] + [
            (c.division_code, c.name) for c in City.objects.all()
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
