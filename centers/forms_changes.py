"""Forms of change requests (Art. 15). Errors are Chinese; what the user typed is kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import BootstrapFormMixin, MultipleScanField
from .models_changes import ChangeKind


class ChangeRequestForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of change"),
        choices=[("", "---------"), *ChangeKind.choices],
        error_messages={"required": _("Choose the kind of change.")},
    )
    new_name = forms.CharField(
        label=_("New name"),
        required=False,
        max_length=150,
        help_text=_(
            "The full name in Chinese, in the form “Shanxi Provincial ×× Technology Innovation Center”."
        ),
    )
    new_direction = forms.CharField(
        label=_("New main research direction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_cobuilders = forms.CharField(
        label=_("Co-builders after the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One organization per line; the full list after the change."),
    )
    new_institutions = forms.CharField(
        label=_("Specialized institutions after the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One institution per line; the full list after the change."),
    )
    description = forms.CharField(
        label=_("What changes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Give the reasons of the change.")},
    )
    attachments = MultipleScanField(
        label=_("Attachments (PDF or scans)"), required=False, check_label=_("Attachments")
    )

    def __init__(self, *args, kind_fixed: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind_fixed:
            self.fields["kind"].disabled = True
            self.fields["kind"].initial = kind_fixed


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Review decision"),
        choices=[("approve", _("approve")), ("return", _("return")), ("reject", _("reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a review decision.")},
    )
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, province: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if province:
            self.fields["decision"].choices = [
                ("approve", _("approve")),
                ("reject", _("do not approve")),
            ]
