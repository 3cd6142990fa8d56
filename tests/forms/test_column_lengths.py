"""Every form field that ends in a model column accepts at most what the column holds.

A 300-character e-mail passed the form (EmailField allows 320) and broke the INSERT on
PostgreSQL (varchar(254)): a 500 instead of a Chinese field error. The walk below finds
every form class of the project; each is either bound to columns (ModelForms by their
Meta, plain forms by BINDINGS) or listed in UNBOUND with the reason. A new form fails
here until it is classified.
"""

import datetime as dt
import importlib
import sys
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import City, Organization
from accounts.widgets import Html5InputsMixin, html5_widget
from applications.testing import MINIMAL_PDF
from tests.factories import valid_credit_code

PROJECT_APPS = (
    "accounts",
    "applications",
    "reviews",
    "centers",
    "evaluations",
    "documents",
    "workdays",
)
FORM_MODULES = [
    "accounts.forms",
    "accounts.registration",
    "applications.forms",
    "applications.review_forms",
    "reviews.forms",
    "centers.forms",
    "centers.forms_center",
    "centers.forms_changes",
    "documents.forms",
    "evaluations.forms",
]

ORG = {
    f: f"accounts.Organization.{f}"
    for f in (
        "name",
        "credit_code",
        "org_type",
        "registered_province",
        "address",
        "contact_name",
        "contact_phone",
    )
}
ORG["contact_email"] = "accounts.OrganizationRegistration.contact_email"
USER = {f: f"accounts.User.{f}" for f in ("username", "last_name", "first_name", "email")}
BINDINGS = {
    "accounts.registration.common.OrganizationDataForm": ORG,
    "accounts.registration.signup.RegistrationForm": {**ORG, **USER},
    "accounts.registration.changes.OrganizationEditForm": ORG,
    "accounts.registration.invitations.InviteForm": USER,
    "reviews.forms.ExpertForm": {
        "username": "accounts.User.username",
        "full_name": "accounts.User.first_name",
        **{
            f: f"reviews.ExpertProfile.{f}"
            for f in (
                "kind",
                "specialty",
                "employer_name",
                "employer_credit_code",
                "title",
                "phone",
                "email",
            )
        },
    },
    "reviews.forms.VisitForm": {"kind": "reviews.Visit.kind", "place": "reviews.Visit.place"},
    "reviews.forms.ScoreForm": {"recommendation": "reviews.ScoreSheet.recommendation"},
    "centers.forms.MeetingForm": {"title": "centers.Meeting.title"},
    "centers.forms.DecisionForm": {"decision": "centers.MeetingItem.decision"},
    "centers.forms.PublishForm": {"title": "centers.PublicityNotice.title"},
    "centers.forms.ObjectionForm": {
        f: f"centers.Objection.{f}"
        for f in ("objector_kind", "name", "organization", "contact_person", "phone", "address")
    },
    "centers.forms.ObjectionLookupForm": {"receipt_number": "centers.Objection.receipt_number"},
    "centers.forms_center.MemberForm": {
        f: f"centers.GovernanceMember.{f}" for f in ("body", "name", "position", "affiliation")
    },
    "centers.forms_center.ServiceForm": {
        f: f"centers.PublicService.{f}" for f in ("name", "description")
    },
    "evaluations.forms.CreditCheckForm": {
        "result": "evaluations.CreditCheck.result",
        "source": "evaluations.CreditCheck.source",
    },
    "evaluations.forms.DecideForm": {
        "grade": "evaluations.Evaluation.grade",
        "outcome": "evaluations.Evaluation.outcome",
        "revocation_reason": "evaluations.Evaluation.revocation_reason",
    },
    "evaluations.forms.FollowUpForm": {"outcome": "evaluations.Rectification.follow_up_outcome"},
    "centers.forms_changes.ChangeRequestForm": {
        "kind": "centers.CenterChangeRequest.kind",
        "new_name": "centers.CenterChangeRequest.new_name",
    },
}
UNBOUND = {
    # forms whose text goes into TextFields, JSON (the plan) or only into a query
    "accounts.forms.LoginForm": "authentication",
    "accounts.forms.PasswordChangeForm": "passwords are hashed",
    "accounts.forms.PasswordResetForm": "query only",
    "accounts.forms.SetPasswordForm": "passwords are hashed",
    "accounts.forms.TwoFactorTokenForm": "a code checked against the devices, never stored",
    "accounts.registration.verification.VerifyForm": "reason is a TextField in the audit event",
    "applications.forms.RowForm": "rows of the plan JSON (lengths capped in form_field)",
    "applications.forms.AttachmentForm": "file; the stored name is cut by check_upload",
    "applications.forms.ReasonForm": "TextField",
    "applications.review_forms.InboxFilterForm": "query only",
    "applications.review_forms.DecisionForm": "TextField",
    "reviews.forms.ExpertFilterForm": "query only",
    "reviews.lists.PanelFilterForm": "query only",
    "accounts.listing.ListFilterForm": "query only",
    "accounts.lists.OrganizationFilterForm": "query only",
    "centers.lists.MeetingFilterForm": "query only",
    "centers.lists.NoticeFilterForm": "query only",
    "centers.lists.ObjectionFilterForm": "query only",
    "centers.lists.CenterFilterForm": "query only",
    "centers.lists.ChangeFilterForm": "query only",
    "centers.lists.ReportFilterForm": "query only",
    "reviews.forms.ExpertImportForm": "file",
    "reviews.forms.PanelForm": "numbers, a date and a TextField",
    "reviews.forms.ReasonForm": "TextField",
    "reviews.forms.ChairForm": "a choice of member",
    "reviews.forms.MarginForm": "query only (the panel result's warning margin)",
    "reviews.forms.RespondForm": "TextField",
    "reviews.forms.ConflictForm": "TextField",
    "reviews.forms.VisitNoteForm": "TextField",
    "reviews.forms.OpinionForm": "TextFields",
    "reviews.forms.ConcludeForm": "a choice",
    "reviews.forms.ImprovementForm": "TextFields",
    "centers.forms.AgendaForm": "a choice of plans",
    "centers.forms.MinutesForm": "file",
    "centers.forms.NoteForm": "TextField",
    "centers.forms.ResolveForm": "TextField",
    "centers.forms.RegistryFilterForm": "query only",
    "documents.forms.ReissueForm": "TextField",
    "documents.forms.VerifyLookupForm": "query only (a verification code, looked up)",
    "documents.forms.VerifyUploadForm": "a file, hashed and never stored",
    "centers.forms_center.DecisionForm": "a choice and a TextField (annual report review)",
    "centers.forms_center.ReportYearForm": "a choice of year (an integer)",
    "centers.forms_changes.DecisionForm": "a choice and a TextField (change request decision)",
    "evaluations.forms.ListFilterForm": "query only",
    "evaluations.forms.CommissionForm": "choices of evaluations and an institution, dates",
    "evaluations.forms.SelfReportForm": "TextField; per-figure fields added at run time "
    "(numbers, reasons capped at SelfReportValue.reason's 300)",
    "evaluations.forms.ScoreForm": "TextField and a file; per-indicator fields added at run "
    "time (scores within the points, notes capped at IndicatorScore.note's 300)",
    "evaluations.forms.HearingForm": "a date, a choice of experts and a TextField",
    "evaluations.forms.NonSubmissionForm": "TextField",
    "evaluations.forms.RectificationReportForm": "TextField and a file",
}


def dotted(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def project_form_classes() -> list[type]:
    for name in FORM_MODULES:
        importlib.import_module(name)
    seen, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            module = sub.__module__
            if module.split(".")[0] not in PROJECT_APPS or module.endswith(".admin"):
                continue
            if getattr(sys.modules[module], sub.__name__, None) is not sub:
                continue  # built at run time (plan section forms): covered by form_field
            if sub not in seen:
                seen.append(sub)
    return seen


def column(label: str):
    app_model, name = label.rsplit(".", 1)
    return apps.get_model(app_model)._meta.get_field(name)


def bindings_of(cls) -> dict:
    if issubclass(cls, forms.ModelForm) and getattr(cls._meta, "model", None):
        model = cls._meta.model
        names = {f.name for f in model._meta.concrete_fields}
        return {n: f"{model._meta.label}.{n}" for n in cls.base_fields if n in names}
    return BINDINGS[dotted(cls)]


def test_every_form_is_classified():
    found = {dotted(cls) for cls in project_form_classes()}
    model_forms = {dotted(c) for c in project_form_classes() if issubclass(c, forms.ModelForm)}
    assert found - model_forms == set(BINDINGS) | set(UNBOUND)
    assert not set(BINDINGS) & set(UNBOUND)


BOUND_FORMS = [c for c in project_form_classes() if dotted(c) not in UNBOUND]


@pytest.mark.parametrize("cls", BOUND_FORMS, ids=dotted)
def test_form_lengths_fit_the_columns(cls):
    assert bindings_of(cls)
    problems = []
    for name, label in bindings_of(cls).items():
        field, col = cls.base_fields[name], column(label)
        limit = getattr(col, "max_length", None)
        if limit is None:
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            too_long = [v for v, _l in field.choices if len(str(v)) > limit]
            if too_long:
                problems.append(f"{name}: choices {too_long} longer than {label} ({limit})")
        elif isinstance(field, forms.CharField):
            if field.max_length is None or field.max_length > limit:
                problems.append(f"{name}: max_length {field.max_length} > {label} ({limit})")
    assert not problems


def test_plan_text_fields_are_bounded():
    from applications import forms as plan_forms
    from applications import sections

    for section in sections.SECTIONS:
        for f in list(section.fields) + [c for spec in section.lists for c in spec.columns]:
            field = plan_forms.form_field(f)
            if isinstance(field, forms.CharField):
                assert field.max_length, (section.code, f.key)


@pytest.mark.parametrize("cls", project_form_classes(), ids=dotted)
def test_declared_date_and_number_widgets_render_html5_values(cls):
    """Whatever the language, a declared date/number field renders 2026-01-15 / 1234.5."""
    samples = {
        forms.DateField: (dt.date(2026, 1, 15), "2026-01-15"),
        forms.DateTimeField: (dt.datetime(2026, 1, 15, 9, 5), "2026-01-15T09:05"),
        forms.TimeField: (dt.time(9, 5), "09:05"),
        forms.DecimalField: (Decimal("1234.5"), "1234.5"),
        forms.IntegerField: (1234, "1234"),
    }
    for name, field in cls.base_fields.items():
        for kind, (value, wire) in samples.items():
            if not isinstance(field, kind):
                continue
            widget = field.widget
            if issubclass(cls, Html5InputsMixin):
                widget = html5_widget(widget)
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    html = widget.render(name, value)
                assert f'value="{wire}"' in html, (name, language, html)


def registration_post(email: str) -> dict:
    return {
        "name": "太原长邮箱测试有限公司",
        "credit_code": valid_credit_code(),
        "org_type": "enterprise",
        "registered_province": "山西省",
        "registered_city": City.objects.get(name="太原市").pk,
        "address": "太原市小店区科技街1号",
        "is_legal_person": "on",
        "contact_name": "王联系",
        "contact_phone": "0351-7654321",
        "contact_email": email,
        "licence": SimpleUploadedFile("营业执照.pdf", MINIMAL_PDF, content_type="application/pdf"),
        "username": "longmail",
        "last_name": "王",
        "first_name": "长邮",
        "email": email,
        "password1": "Str0ng-pass-2026",
        "password2": "Str0ng-pass-2026",
    }


@pytest.mark.django_db(transaction=True)
def test_a_300_character_email_at_registration_is_a_field_error(client, settings, tmp_path):
    """Runs on PostgreSQL too (DATABASE_URL): there the INSERT used to fail with a 500."""
    settings.MEDIA_ROOT = tmp_path
    email = "a" * 57 + "@" + ".".join(["b" * 59] * 4) + ".cn"  # 300 characters, well-formed
    assert len(email) == 300
    response = client.post(reverse("register"), registration_post(email))
    assert response.status_code == 200
    page = response.content.decode()
    # both e-mails, each under its field and in the error summary
    assert page.count("确保该变量包含不超过 254 字符 (目前字符数 300)。") == 4
    assert not Organization.objects.filter(name="太原长邮箱测试有限公司").exists()
    ok = client.post(reverse("register"), registration_post("lead@example.com"))
    assert ok.status_code == 302
    assert Organization.objects.filter(name="太原长邮箱测试有限公司").exists()


@pytest.mark.django_db
def test_expert_import_refuses_cells_longer_than_the_columns():
    from reviews.imports import parse_row

    row = {
        "username": "longcells",
        "full_name": "张" * 51,
        "kind": "技术",
        "employer_name": "单" * 201,
        "phone": "1" * 31,
        "email": "a" * 57 + "@" + ".".join(["b" * 59] * 4) + ".cn",
    }
    _kwargs, problems = parse_row(row, {})
    assert "「姓名」不能超过50个字符（现有51个）。" in problems
    assert "「工作单位」不能超过200个字符（现有201个）。" in problems
    assert "「联系电话」不能超过30个字符（现有31个）。" in problems
    assert "「电子邮箱」不能超过254个字符（现有300个）。" in problems
