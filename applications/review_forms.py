"""Forms of the review side: the inbox filter and the decision form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import ReferenceChoiceField
from accounts.forms import BootstrapFormMixin
from accounts.listing import ListFilterForm
from accounts.models import City, Department
from accounts.widgets import DateInput
from centers.models import CenterKind, IndustryField

from .models import Status

SORTS = [
    ("-submitted_at", _("Submitted (newest first)")),
    ("submitted_at", _("Submitted (oldest first)")),
    ("name", _("Name (A–Z)")),
    ("-name", _("Name (Z–A)")),
    ("status", _("State (along the process)")),
    ("-status", _("State (reverse)")),
]


class InboxFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CenterKind.choices]
    )
    field = ReferenceChoiceField(
        label=_("Industry field"),
        required=False,
        queryset=IndustryField.objects.all(),
        empty_label=_("All fields"),
    )
    city = ReferenceChoiceField(
        label=_("City"), required=False, queryset=City.objects.all(), empty_label=_("All cities")
    )
    department = ReferenceChoiceField(
        label=_("Organizing department"),
        required=False,
        queryset=Department.objects.exclude(kind=Department.Kind.PROVINCE_ST),
        empty_label=_("All departments"),
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": "请输入有效的日期，例如 2026-03-05。"},
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": "请输入有效的日期，例如 2026-03-05。"},
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", "截止日期不能早于起始日期。")
        return data

    def filters(self) -> dict:
        """The cleaned filters, or none of them when the form is invalid."""
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["sort"] = data.get("sort") or "-submitted_at"
        return data


# Which decisions need which text, and the Chinese message when it is missing.
REASON_REQUIRED = {
    "approve": "请填写审核意见。",
    "return_plan": "请填写退回修改的理由。",
    "reject": "请填写不予通过的理由。",
}
DECISIONS = ("approve", "return_plan", "reject", "pass_recheck")


class DecisionForm(BootstrapFormMixin, forms.Form):
    """Approve / return / reject (department) or pass / return / reject (province).

    ``actions`` are (transition, label) pairs available to this user now. A stale page
    posts the state it was loaded in (``expected_status``); the service refuses the
    decision when the plan has moved on, so the second of two deciders gets a message.
    """

    action = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理意见。", "invalid_choice": "请选择有效的处理意见。"},
    )
    opinion = forms.CharField(
        label=_("Opinion or reasons"),
        required=False,
        max_length=4000,
        help_text=_(
            "An opinion is required to approve; reasons are required to return or reject. "
            "The applicant receives them."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "意见或理由不能超过 %(limit_value)d 个字。"},
    )
    expected_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(actions)
        # A posted decision stays acceptable even when the plan has moved on meanwhile: the
        # service then answers with the clear "already decided" message.
        choices = list(actions)
        posted = self.data.get(self.add_prefix("action")) if self.is_bound else None
        if posted in DECISIONS and posted not in labels:
            choices.append((posted, posted))
        self.fields["action"].choices = choices

    def clean(self):
        data = super().clean()
        action = data.get("action")
        opinion = (data.get("opinion") or "").strip()
        data["opinion"] = opinion
        if action in REASON_REQUIRED and not opinion:
            self.add_error("opinion", REASON_REQUIRED[action])
        return data
