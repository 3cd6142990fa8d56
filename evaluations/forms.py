"""Forms of the evaluation pages (every message through the catalog, Chinese by default; what
was typed is kept)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.forms import BootstrapFormMixin
from documents.languages import interpolate_lazy, paren, with_unit

from .models import CreditCheck, EvaluationStatus, Grade, Outcome, RevocationReason
from .services.decisions import DECISION_REVOCATION_REASONS

REQUIRED = gettext_lazy("Fill in “%(field)s”.")


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": interpolate_lazy(REQUIRED, field=label),
            "invalid": interpolate_lazy(
                gettext_lazy("“%(field)s” is not a valid date; write it as 2027-06-30."),
                field=label,
            ),
        },
    )


def _text(label, *, required=False, rows=4, max_length=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": interpolate_lazy(REQUIRED, field=label),
            "max_length": interpolate_lazy(
                gettext_lazy("“%(field)s” takes at most %%(limit_value)d characters."),
                field=label,
            ),
        },
    )


class ListFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All"))] + EvaluationStatus.choices,
    )
    grade = forms.ChoiceField(
        label=pgettext_lazy("evaluation", "Grade"),
        required=False,
        choices=[("", gettext_lazy("All"))] + Grade.choices,
    )
    q = forms.CharField(label=gettext_lazy("Center name or number"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class CommissionForm(BootstrapFormMixin, forms.Form):
    evaluations = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Evaluations to commission"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": gettext_lazy("Choose at least one evaluation."),
            "invalid_choice": gettext_lazy(
                "An evaluation chosen is already commissioned or does not exist; reload the page."
            ),
        },
    )
    institution = forms.TypedChoiceField(
        label=gettext_lazy("Third-party evaluation institution"),
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the third-party evaluation institution."),
            "invalid_choice": gettext_lazy("Choose a verified third-party evaluation institution."),
        },
    )
    self_report_deadline = _date(gettext_lazy("Self-report deadline"))
    evaluation_deadline = _date(gettext_lazy("Evaluation report deadline"))

    def __init__(self, *args, evaluations=(), institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluations"].choices = [
            (
                e.pk,
                _("%(center)s (cycle %(cycle)s, %(years)s)")
                % {"center": e.center.name, "cycle": e.cycle, "years": e.years_label},
            )
            for e in evaluations
        ]
        self.fields["institution"].choices = [("", _("Choose"))] + [
            (o.pk, o.name) for o in institutions
        ]


class CreditCheckForm(BootstrapFormMixin, forms.Form):
    result = forms.ChoiceField(
        label=gettext_lazy("Check result"),
        choices=CreditCheck.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the result of the check.")},
    )
    source = forms.CharField(
        label=gettext_lazy("Checked through"),
        max_length=200,
        help_text=gettext_lazy(
            "Such as Credit China, the National Enterprise Credit Information Publicity System, "
            "the research integrity information system."
        ),
        error_messages={
            "required": gettext_lazy("Say where the check was made."),
            "max_length": gettext_lazy("“Checked through” takes at most 200 characters."),
        },
    )
    checked_on = _date(gettext_lazy("Checked on"))
    note = _text(gettext_lazy("Note on the check"), rows=3)
    evidence = forms.FileField(label=gettext_lazy("Evidence (PDF, JPG or PNG)"), required=False)


class SelfReportForm(BootstrapFormMixin, forms.Form):
    """The self-assessment text, one value and one reason per figure, one file per save."""

    self_assessment = _text(gettext_lazy("Self-report"), rows=8)
    files = forms.FileField(
        label=gettext_lazy("Self-report material (PDF, JPG or PNG, one at a time)"), required=False
    )

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(values)
        for row in self.rows:
            label, unit = row.display_label, row.display_unit
            full = with_unit(label, unit) if unit else label
            too_large = _("%(figure)s is too large.") % {"figure": full}
            self.fields[f"value_{row.key}"] = forms.DecimalField(
                label=full,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                error_messages={
                    "invalid": _("%(figure)s must be a number.") % {"figure": full},
                    "min_value": _("%(figure)s cannot be negative.") % {"figure": full},
                    "max_decimal_places": _("%(figure)s takes at most two decimal places.")
                    % {"figure": full},
                    "max_digits": too_large,
                    "max_whole_digits": too_large,
                },
            )
            self.fields[f"reason_{row.key}"] = forms.CharField(
                label=_("Reason for changing %(figure)s") % {"figure": label},
                required=False,
                max_length=300,
                error_messages={
                    "max_length": _("The reason for the change takes at most 300 characters.")
                },
            )
        for name, field in self.fields.items():
            if name.startswith(("value_", "reason_")):
                field.widget.attrs["class"] = "form-control form-control-sm"

    def values(self) -> dict:
        return {
            row.key: (
                self.cleaned_data.get(f"value_{row.key}"),
                self.cleaned_data.get(f"reason_{row.key}", ""),
            )
            for row in self.rows
        }

    def bound_rows(self):
        return [(row, self[f"value_{row.key}"], self[f"reason_{row.key}"]) for row in self.rows]


class ScoreForm(BootstrapFormMixin, forms.Form):
    """One score and note per hand-scored indicator; the findings; the report on submit."""

    findings = _text(pgettext_lazy("evaluation", "Findings"), rows=6)
    report = forms.FileField(label=gettext_lazy("Formal evaluation report (PDF)"), required=False)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            ind = row.indicator
            names = {"indicator": ind.name, "points": ind.points}
            if not row.by_rule:
                self.fields[f"score_{ind.pk}"] = forms.DecimalField(
                    label=_("Score of %(indicator)s") % {"indicator": ind.name},
                    required=False,
                    min_value=0,
                    max_value=ind.points,
                    max_digits=6,
                    decimal_places=2,
                    error_messages={
                        "invalid": _("The score of “%(indicator)s” must be a number.") % names,
                        "min_value": _("The score of “%(indicator)s” cannot be negative.") % names,
                        "max_value": _(
                            "The score of “%(indicator)s” cannot exceed %(points)s points."
                        )
                        % names,
                        "max_decimal_places": _("A score takes at most two decimal places."),
                        "max_digits": _("The score is too large."),
                        "max_whole_digits": _("The score is too large."),
                    },
                )
            self.fields[f"note_{ind.pk}"] = forms.CharField(
                label=_("Note on the score of %(indicator)s") % names,
                required=False,
                max_length=300,
                error_messages={
                    "max_length": _("The note on a score takes at most 300 characters.")
                },
            )
        for name, field in self.fields.items():
            if name.startswith(("score_", "note_")):
                field.widget.attrs["class"] = "form-control form-control-sm"

    def scores(self) -> dict:
        return {
            row.indicator.pk: (
                self.cleaned_data.get(f"score_{row.indicator.pk}"),
                self.cleaned_data.get(f"note_{row.indicator.pk}", ""),
            )
            for row in self.rows
        }

    def bound_rows(self):
        out = []
        for row in self.rows:
            pk = row.indicator.pk
            score = None if row.by_rule else self[f"score_{pk}"]
            out.append((row, score, self[f"note_{pk}"]))
        return out


class HearingForm(BootstrapFormMixin, forms.Form):
    held_on = _date(gettext_lazy("Date of the hearing"))
    experts = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Experts heard"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": gettext_lazy("Choose at least one expert for the hearing."),
            "invalid_choice": gettext_lazy(
                "An expert chosen must stand aside or is not in the expert pool."
            ),
        },
    )
    summary = _text(gettext_lazy("Opinion of the hearing"), required=True, rows=5)

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [
            (e.pk, f"{e.name}{paren(e.employer_name)}") for e in experts
        ]


class DecideForm(BootstrapFormMixin, forms.Form):
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade of the evaluation"),
        choices=Grade.choices,
        error_messages={"required": gettext_lazy("Set the evaluation grade.")},
    )
    outcome = forms.ChoiceField(
        label=pgettext_lazy("evaluation decision", "Decision"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the decision.")},
    )
    note = _text(gettext_lazy("Explanation of the decision"), rows=3)
    requirements = _text(
        gettext_lazy("Rectification requirements (when deciding to rectify)"), rows=4
    )
    deadline = _date(
        gettext_lazy("Rectification deadline (when deciding to rectify)"), required=False
    )
    revocation_reason = forms.ChoiceField(
        label=gettext_lazy("Reason for revocation (when deciding to revoke)"),
        required=False,
        choices=[("", "—")] + [(c, RevocationReason(c).label) for c in DECISION_REVOCATION_REASONS],
    )


class NonSubmissionForm(BootstrapFormMixin, forms.Form):
    note = _text(
        gettext_lazy("Facts of the non-submission (such as the reminders sent)"),
        required=True,
        rows=3,
    )


class RectificationReportForm(BootstrapFormMixin, forms.Form):
    report = _text(gettext_lazy("Rectification report"), required=True, rows=8)
    files = forms.FileField(label=gettext_lazy("Attachment (PDF, JPG or PNG)"), required=False)


class FollowUpForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Follow-up conclusion"),
        choices=[(Outcome.RETAIN, Outcome.RETAIN.label), (Outcome.REVOKE, Outcome.REVOKE.label)],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the follow-up conclusion (retain or revoke).")
        },
    )
    note = _text(gettext_lazy("Follow-up opinion (required to revoke)"), rows=4)
