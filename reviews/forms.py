"""Forms of the expert review. Each keeps what the user typed and says, in Chinese, which rule failed."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import credit_code, widgets
from accounts.choices import ReferenceChoiceField
from accounts.forms import BootstrapFormMixin
from accounts.listing import ListFilterForm
from centers.models import IndustryField
from documents.languages import paren

from .models import ExpertKind, PanelMember, Recommendation, ScoreTemplate, Visit, pts
from .services import panels


class ExpertForm(BootstrapFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[\w.@+-]{1,150}$",
        max_length=150,
        error_messages={
            "invalid": _("A user name may only contain letters, digits and @/./+/-/_.")
        },
    )
    full_name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Expert kind"), choices=ExpertKind.choices)
    industry_fields = forms.ModelMultipleChoiceField(
        label=_("Industry fields"),
        queryset=IndustryField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Technical experts are drawn only for plans of their fields."),
    )
    specialty = forms.CharField(label=_("Specialty"), max_length=200, required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    employer_credit_code = forms.CharField(
        label=_("Employer's unified social credit code"), max_length=18, required=False
    )
    title = forms.CharField(label=_("Professional title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    is_active = forms.BooleanField(label=_("Active in the pool"), required=False, initial=True)
    avoid = forms.CharField(
        label=_("Avoidance list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Organizations the expert must not review, one per line: name|credit code "
            "(the credit code may be left out)."
        ),
    )

    def __init__(self, *args, profile=None, **kwargs):
        self.profile = profile
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": profile.user.username,
                "full_name": str(profile.user),
                "kind": profile.kind,
                "industry_fields": list(profile.industry_fields.all()),
                "specialty": profile.specialty,
                "employer_name": profile.employer_name,
                "employer_credit_code": profile.employer_credit_code,
                "title": profile.title,
                "phone": profile.phone,
                "email": profile.email,
                "is_active": profile.is_active,
                "avoid": "\n".join(
                    "|".join(filter(None, [e.get("name", ""), e.get("credit_code", "")]))
                    for e in profile.avoid_organizations or []
                ),
            }
        super().__init__(*args, **kwargs)
        if profile is not None:
            self.fields["username"].disabled = True

    def clean_employer_credit_code(self):
        code = self.cleaned_data["employer_credit_code"].strip().upper()
        if code and (message := credit_code.problem(code)):
            raise ValidationError(message)
        return code

    def clean_avoid(self):
        entries = []
        for line in self.cleaned_data["avoid"].splitlines():
            if not line.strip():
                continue
            name, _sep, code = line.partition("|")
            code = code.strip().upper()
            if code and (message := credit_code.problem(code)):
                raise ValidationError(f"「{line.strip()}」：{message}")
            entries.append({"name": name.strip(), "credit_code": code})
        return entries

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["avoid_organizations"] = data.pop("avoid")
        return data


class ExpertFilterForm(ListFilterForm):
    kind = forms.ChoiceField(
        label=_("Expert kind"), choices=[("", _("all"))] + ExpertKind.choices, required=False
    )
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("all")), ("1", pgettext_lazy("expert", "active")), ("0", _("inactive"))],
        required=False,
    )
    field = ReferenceChoiceField(
        label=_("Industry field"), queryset=IndustryField.objects.all(), required=False
    )


class ExpertImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("The first row holds the column headers; see the template below."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Only CSV or XLSX files are accepted."))
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file cannot be larger than 5 MB."))
        return upload


class PanelForm(BootstrapFormMixin, forms.Form):
    size = forms.IntegerField(label=_("Panel size"), min_value=3, initial=5)
    n_technical = forms.IntegerField(label=_("Technical experts"), min_value=0, initial=3)
    n_management = forms.IntegerField(label=_("Management experts"), min_value=0, initial=1)
    n_financial = forms.IntegerField(label=_("Financial experts"), min_value=0, initial=1)
    template = forms.ModelChoiceField(
        label=_("Score template"), queryset=ScoreTemplate.objects.all(), empty_label=None
    )
    score_deadline = forms.DateField(label=_("Score deadline"), widget=widgets.DateInput)
    deviation_margin = forms.DecimalField(
        label=_("Deviation warning margin (points)"),
        min_value=0,
        max_digits=5,
        decimal_places=1,
        initial=15,
        help_text=_(
            "The result page warns when an expert's total differs from the mean by more than this."
        ),
    )
    avoid_request = forms.CharField(
        label=_("Experts or organizations the applicant asked to avoid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name per line: an expert's name or an employer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = ScoreTemplate.objects.filter(is_default=True).first()
        if default is not None:
            self.fields["template"].initial = default.pk
        self.fields["score_deadline"].initial = timezone.localdate() + dt.timedelta(days=14)

    def clean(self):
        data = super().clean()
        if all(
            data.get(k) is not None for k in ("size", "n_technical", "n_management", "n_financial")
        ):
            for problem in panels.validate_composition(
                size=data["size"],
                counts={
                    ExpertKind.TECHNICAL.value: data["n_technical"],
                    ExpertKind.MANAGEMENT.value: data["n_management"],
                    ExpertKind.FINANCIAL.value: data["n_financial"],
                },
            ):
                self.add_error(None, problem)
        deadline = data.get("score_deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("score_deadline", _("The scoring deadline cannot be before today."))
        return data


class ReasonForm(BootstrapFormMixin, forms.Form):
    """The reason for replacing one member (a row of the panel's member table: ids per member)."""

    reason = forms.CharField(
        label=_("Reason for replacing"),
        widget=forms.TextInput(attrs={"class": "form-control-sm"}),
        error_messages={"required": _("Give the reasons for replacing the expert.")},
    )


class ChairForm(BootstrapFormMixin, forms.Form):
    member = forms.ModelChoiceField(
        label=_("Chair"),
        queryset=PanelMember.objects.none(),
        error_messages={
            "required": _("Choose one of the panel's members as chair."),
            "invalid_choice": _("Choose one of the panel's members as chair."),
        },
    )

    def __init__(self, *args, panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = PanelMember.objects.filter(
            panel=panel, status__in=PanelMember.ACTIVE
        ).select_related("expert__user")


class RespondForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictForm(BootstrapFormMixin, forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("no", _("I declare that I have no conflict of interest with this plan.")),
            ("yes", _("I have a conflict of interest and withdraw from the panel.")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Declare your conflicts of interest.")},
    )
    note = forms.CharField(
        label=_("Describe the conflict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "E.g. employment, co-operation, family ties with the lead organization or a co-builder."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflict") and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the conflict of interest."))
        return data


class ScoreForm(BootstrapFormMixin, forms.Form):
    """One field per criterion bounded by its maximum, the opinion and the recommendation."""

    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—")] + Recommendation.choices,
        required=False,
    )

    def __init__(self, *args, criteria, sheet=None, **kwargs):
        self.criteria = list(criteria)
        initial = kwargs.setdefault("initial", {})
        if sheet is not None:
            initial.setdefault("opinion", sheet.opinion)
            initial.setdefault("recommendation", sheet.recommendation)
            for score in sheet.scores.all():
                initial.setdefault(f"c{score.criterion_id}", score.points)
        super().__init__(*args, **kwargs)
        fields = {}
        for c in self.criteria:
            names = {"criterion": c.localized_name, "points": pts(c.max_points)}
            fields[f"c{c.pk}"] = forms.DecimalField(
                label=c.localized_name + paren(_("out of %(n)s points") % {"n": pts(c.max_points)}),
                help_text=c.localized_description,
                required=False,
                min_value=0,
                max_value=c.max_points,
                max_digits=5,
                decimal_places=1,
                error_messages={
                    "max_value": _(
                        "The score of “%(criterion)s” cannot exceed its full %(points)s points."
                    )
                    % names,
                    "min_value": _("The score of “%(criterion)s” cannot be negative.") % names,
                    "invalid": _("The score of “%(criterion)s” must be a number.") % names,
                    "max_decimal_places": _("A score takes at most 1 decimal place."),
                },
                widget=widgets.NumberInput(
                    attrs={
                        "step": "0.5",
                        "min": "0",
                        "max": f"{pts(c.max_points)}",
                        # reviews/static/reviews/score.js: the running total, empty criteria
                        "data-criterion": c.name,
                    }
                ),
            )
        # criteria first, then the opinion and the recommendation
        fields.update(self.fields)
        self.fields = fields
        for name in fields:
            if name.startswith("c"):
                fields[name].widget.attrs["class"] = "form-control"

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == "submit"

    @property
    def to_next(self) -> bool:
        """「保存并评下一个」: save the draft, then open the next plan waiting for scores."""
        return self.data.get("action") == "next"

    def running_total(self) -> tuple[Decimal, list[str]]:
        """The total of the scores as typed (or stored) and the criteria still empty: what the
        page shows before its script takes over."""
        total, empty = Decimal(0), []
        for c in self.criteria:
            value = self[f"c{c.pk}"].value()
            try:
                points = Decimal(str(value)) if value not in (None, "") else None
            except (ArithmeticError, ValueError):
                points = None
            if points is None or not points.is_finite():
                empty.append(c.name)
            elif 0 <= points <= c.max_points:
                total += points
        return total, empty

    def clean(self):
        data = super().clean()
        if self.submitting:
            for c in self.criteria:
                key = f"c{c.pk}"
                if key not in self.errors and data.get(key) is None:
                    self.add_error(
                        key, _("Score “%(criterion)s”.") % {"criterion": c.localized_name}
                    )
            if not (data.get("opinion") or "").strip():
                self.add_error("opinion", _("Fill in your review opinion."))
            if not data.get("recommendation"):
                self.add_error("recommendation", _("Choose your recommendation."))
        return data

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class VisitForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=widgets.DateInput)
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Files"), required=False)

    def clean_files(self):
        from applications.files import check_upload

        for upload in self.cleaned_data["files"]:
            check_upload(upload)
        return self.cleaned_data["files"]


class VisitNoteForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Fill in the opinion on the inspection or the defense.")},
    )


class OpinionForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Overall opinion of the panel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    points = forms.CharField(
        label=_("Points to improve (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Each line becomes a numbered point that the applicant answers."),
    )

    def point_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["points"].splitlines() if line.strip()]


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("pass", "pass"), ("fail", "fail")])


class ImprovementForm(BootstrapFormMixin, forms.Form):
    """One answer per point of the panel opinion."""

    def __init__(self, *args, points, **kwargs):
        self.points = list(points)
        super().__init__(*args, **kwargs)
        for p in self.points:
            self.fields[f"p{p.pk}"] = forms.CharField(
                label=f"{p.number}. {p.text}",
                required=False,
                initial=p.answer,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    @property
    def submitting(self) -> bool:
        return self.data.get("action") == "submit"

    def clean(self):
        data = super().clean()
        if self.submitting:
            for p in self.points:
                if not (data.get(f"p{p.pk}") or "").strip():
                    self.add_error(
                        f"p{p.pk}",
                        _("Answer point %(number)s of the panel opinion.") % {"number": p.number},
                    )
        return data

    def answers(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"p{p.pk}", "") for p in self.points}


MAX_MARGIN = 100  # points; a score total never exceeds 100


class MarginForm(BootstrapFormMixin, forms.Form):
    """The panel result's deviation warning margin (GET); empty: the panel's own."""

    margin = forms.DecimalField(
        label=_("Deviation warning margin (points)"),
        required=False,
        min_value=0,
        max_value=MAX_MARGIN,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
