"""Forms of the center's own pages: the profile's routine part and the annual report."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import BootstrapFormMixin
from documents.languages import with_unit

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
            "legal_entity_type": _("Type of legal entity"),
            "transition_planned_on": _("Planned date of becoming an independent legal entity"),
            "transition_plan": _("Transition plan"),
            "charter": _("Main points of the charter"),
            "contact_name": _("Contact person"),
            "contact_phone": _("Contact phone"),
            "contact_email": _("E-mail"),
            "address": _("Postal address"),
        }
        widgets = {
            "transition_planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "transition_plan": forms.Textarea(attrs={"rows": 3}),
            "charter": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "contact_email": {"invalid": _("The e-mail address is not valid.")},
            "transition_planned_on": {
                "invalid": _("The planned date is not valid; write it as 2027-06-30.")
            },
        }

    def clean(self):
        data = super().clean()
        if data.get("legal_entity_type") == LegalEntityType.INTERNAL_UNIT and not data.get(
            "transition_planned_on"
        ):
            self.add_error(
                "transition_planned_on",
                _(
                    "An internal unit needs the planned date of becoming an independent legal entity (Art. 10)."
                ),
            )
        return data


class MemberForm(BootstrapFormMixin, forms.Form):
    body = forms.ChoiceField(label=_("Body"), choices=GovernanceBody.choices)
    name = forms.CharField(label=_("Name of person"), max_length=50, required=False)
    position = forms.CharField(label=_("Position or title"), max_length=100, required=False)
    affiliation = forms.CharField(label=_("Unit"), max_length=200, required=False)


class ServiceForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Service"), max_length=50, required=False)
    description = forms.CharField(label=_("Short description"), max_length=300, required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=2, max_num=60)
ServiceFormSet = forms.formset_factory(ServiceForm, extra=2, max_num=30)


def _figure_field(label, unit, kind):
    # Built when the module loads: every text stays lazy, read in the request's language.
    full = with_unit(label, unit)
    too_big = format_lazy(_("{}: the number is too large."), full)
    negative = format_lazy(_("{} cannot be negative."), full)
    if kind == "money":
        return forms.DecimalField(
            label=full,
            required=False,
            min_value=0,
            max_digits=12,
            decimal_places=2,
            error_messages={
                "invalid": format_lazy(_("{} must be a number."), full),
                "min_value": negative,
                "max_decimal_places": format_lazy(_("{}: at most two decimals."), full),
                "max_digits": too_big,
                "max_whole_digits": too_big,
            },
        )
    return forms.IntegerField(
        label=full,
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={
            "invalid": format_lazy(_("{} must be a whole number."), full),
            "min_value": negative,
            "max_value": too_big,
        },
    )


_REPORT_FIELDS = {
    "summary": forms.CharField(
        label=_("Summary of the year's work"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    ),
    **{name: _figure_field(label, unit, kind) for name, label, unit, kind, _t in REPORT_FIGURES},
    "files": forms.FileField(
        label=_("Attachment (PDF, JPG or PNG, one at a time)"), required=False
    ),
}

# The summary, the twelve figures in their order, one file per save.
ReportForm = type("ReportForm", (BootstrapFormMixin, forms.Form), dict(_REPORT_FIELDS))


class ReportYearForm(BootstrapFormMixin, forms.Form):
    """The year of the annual report to start, among ``years``."""

    year = forms.TypedChoiceField(
        label=_("Report year"),
        coerce=int,
        error_messages={"required": _("Choose the year of the report.")},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Review decision"),
        choices=[("accept", _("Approved")), ("return", _("Returned for changes"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a review decision.")},
    )
    reason = forms.CharField(
        label=_("Opinion or reasons of the return"),
        required=False,
        help_text=_("Reasons are required when returning the report."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
