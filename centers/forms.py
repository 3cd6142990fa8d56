"""Forms of the centers app. Error messages are Chinese; forms keep what the user typed."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import widgets
from accounts.models import City
from documents.languages import interpolate_lazy, paren

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
        help_text=_("For example: the 12th office meeting of 2026"),
        error_messages={"required": _("Enter the meeting's title.")},
    )
    held_on = forms.DateField(
        label=_("Meeting date"),
        widget=widgets.DateInput,
        error_messages={
            "required": _("Enter the meeting's date."),
            "invalid": _("Write the date as 2026-09-30."),
        },
    )


class AgendaForm(BootstrapFormMixin, forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Plans awaiting the office meeting"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one plan to decide on.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = candidates
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.full_name}{paren(a.organization.name)}"
        )


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (MeetingItem.Decision.APPROVE, _("Approved")),
            (MeetingItem.Decision.REJECT, _("Not approved")),
            (MeetingItem.Decision.DEFER, _("Deferred")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the meeting's decision.")},
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
            self.add_error("reason", _("A refusal needs reasons."))
        return data


FILE = _("File")


class ScanField(forms.FileField):
    """A PDF or image scan, checked by content."""

    def __init__(self, *args, check_label=FILE, **kwargs):
        self.check_label = check_label
        kwargs.setdefault(
            "error_messages",
            {"required": interpolate_lazy(_("Upload %(file)s."), file=check_label)},
        )
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
    minutes = ScanField(label=_("Minutes (PDF or scan)"), check_label=_("Minutes"))


class PublishForm(BootstrapFormMixin, forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Plans approved by the office meeting"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one plan approved by the office meeting.")},
    )
    start_date = forms.DateField(
        label=_("Publication date (first day of the period)"),
        widget=widgets.DateInput,
        error_messages={
            "required": _("Enter the date of publication."),
            "invalid": _("Write the date as 2026-09-30."),
        },
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
            f"{a.full_name}{paren(a.organization.name)}"
        )
        self.fields["start_date"].initial = timezone.localdate()


class ObjectionForm(BootstrapFormMixin, forms.Form):
    """A real-name written objection (DESIGN §2.3)."""

    item = forms.ModelChoiceField(
        label=_("Plan objected to"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Choose the plan the objection is about."),
            "invalid_choice": _("Choose a plan of this notice."),
        },
    )
    objector_kind = forms.ChoiceField(
        label=_("You object as"),
        choices=Objection.ObjectorKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you object as a person or as an organization.")
        },
    )
    name = forms.CharField(
        label=_("Name (of the person or the organization)"),
        max_length=100,
        error_messages={
            "required": _(
                "Enter your real name or your organization's name; anonymous objections are not accepted."
            )
        },
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
        error_messages={"required": _("Enter a contact phone number.")},
    )
    address = forms.CharField(
        label=_("Mailing address"),
        max_length=300,
        error_messages={"required": _("Enter a postal address.")},
    )
    reasons = forms.CharField(
        label=_("Reasons of the objection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=20,
        max_length=5000,
        error_messages={
            "required": _("State the facts and the reasons of the objection."),
            "min_length": _(
                "Write at least %(limit_value)d characters of reasons (now %(show_value)d), with concrete facts."
            ),
        },
    )
    statement = ScanField(
        label=_(
            "Signed statement (individual) or statement under the official seal (organization)"
        ),
        check_label=_(
            "Written objection (a scan signed by the objector or under the official seal)"
        ),
    )
    evidence = MultipleScanField(label=_("Evidence files"), check_label=_("Evidence files"))
    confirm = forms.BooleanField(
        label=_("I confirm that the information is true and that I object under my real name."),
        error_messages={
            "required": _(
                "Confirm that what you entered is true and that you object under your real identity."
            )
        },
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: (
            i.center_name
            + paren(_("lead organization: %(name)s") % {"name": i.lead_organization_name})
        )

    def clean_phone(self):
        phone = re.sub(r"[\s（）()]", "", self.cleaned_data["phone"])
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise forms.ValidationError(
                _(
                    "Enter a valid phone number: an 11-digit mobile number (such as 13800000000) or a landline with its area code (such as 0351-1234567)."
                )
            )
        return phone

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name in {"匿名", "无", "不详", "某某", "群众", "知情人", "anonymous"}:
            raise forms.ValidationError(
                _(
                    "Enter your real name or your organization's name; anonymous objections are not accepted."
                )
            )
        return name

    def clean(self):
        data = super().clean()
        kind = data.get("objector_kind")
        if kind == Objection.ObjectorKind.PERSON and not (data.get("organization") or "").strip():
            self.add_error("organization", _("A person who objects enters their employer."))
        if (
            kind == Objection.ObjectorKind.ORGANIZATION
            and not (data.get("contact_person") or "").strip()
        ):
            self.add_error(
                "contact_person", _("An organization that objects enters a contact person.")
            )
        return data


class ObjectionLookupForm(BootstrapFormMixin, forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        max_length=20,
        error_messages={"required": _("Enter the receipt number.")},
    )
    phone_last4 = forms.RegexField(
        label=_("Last 4 digits of the phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={
            "required": _("Enter the last 4 digits of the contact phone."),
            "invalid": _("Enter the last 4 digits of the contact phone number."),
        },
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Investigation note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter what the investigation found.")},
    )


class ResolveForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("dismiss", _("Objection not upheld")),
            ("uphold", _("Objection upheld (the plan is not designated)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the objection is upheld.")},
    )
    reason = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the decision's reasons (why the objection is or is not upheld).")
        },
    )


class RegistryFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("search field", "Search"), required=False, max_length=100
    )
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
            (f.code, str(f)) for f in IndustryField.objects.all()
        ]
        self.fields["city"].choices = [("", _("all"))] + [
            (c.division_code, str(c)) for c in City.objects.all()
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
