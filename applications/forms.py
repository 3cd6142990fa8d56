"""Forms of the construction plan, generated from ``applications.sections``.

Drafts are validated only for types and formats (every field optional);
completeness is checked at submission (``applications.eligibility``).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import widgets
from accounts.forms import BootstrapFormMixin
from accounts.models import Department
from accounts.validators import validate_credit_code
from centers.models import IndustryField, StrategicArea

from . import files, sections
from .models import Application, AttachmentKind

MAX_ROWS = 100


def form_field(spec: sections.Field) -> forms.Field:
    common = {"label": spec.label, "required": False}
    if spec.kind == "longtext":
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if spec.kind == "number":
        return forms.DecimalField(
            min_value=0, max_digits=14, decimal_places=2, widget=widgets.NumberInput, **common
        )
    if spec.kind == "int":
        return forms.IntegerField(
            min_value=0, max_value=1_000_000, widget=widgets.NumberInput, **common
        )
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", _("Choose"))] + list(spec.choices), **common)
    if spec.kind == "multi":
        return forms.MultipleChoiceField(
            choices=list(spec.choices), widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == "bool":
        return forms.BooleanField(**common)
    if spec.kind == "date":
        return forms.DateField(widget=widgets.DateInput, **common)
    if spec.kind == "credit_code":
        return forms.CharField(
            max_length=18, validators=[validate_credit_code], strip=True, **common
        )
    return forms.CharField(max_length=300, **common)


def to_json(spec: sections.Field, value):
    if spec.kind in ("number", "int"):
        return sections.to_json_number(value)
    if spec.kind == "date":
        return value.isoformat() if isinstance(value, date) else None
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "multi":
        return list(value or [])
    if spec.kind == "credit_code":
        return (value or "").upper()
    return value if value is not None else ""


def from_json(spec: sections.Field, value):
    if value is None:
        return None
    if spec.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value


def fields_form_class(section: sections.Section, kind: str):
    attrs = {f.name: form_field(f) for f in section.fields_for(kind)}
    return type(f"{section.code.title()}Form", (BootstrapFormMixin, forms.Form), attrs)


class RowForm(BootstrapFormMixin, forms.Form):
    columns: tuple = ()
    is_standard = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "key" in self.fields and self.initial.get("key") in sections.STANDARD_TARGET_KEYS:
            self.is_standard = True
            for name in ("label", "unit"):
                self.fields[name].widget.attrs["readonly"] = "readonly"

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return all(data.get(c.key) in (None, "", [], False) for c in self.columns)


def row_form_class(spec: sections.ListSpec, *, with_key: bool = False):
    attrs = {c.key: form_field(c) for c in spec.columns}
    attrs["columns"] = spec.columns
    if with_key:
        attrs["key"] = forms.CharField(required=False, widget=forms.HiddenInput, max_length=50)
    return type(f"{spec.prefix.title()}RowForm", (RowForm,), attrs)


class SectionForms:
    """The bound or unbound forms of one plan section: a fields form and one formset per list."""

    def __init__(self, section, application, data=None, *, add: str | None = None):
        self.section = section
        self.application = application
        kind = application.kind
        stored = (application.plan or {}).get(section.code) or {}
        self.fields_form = None
        field_specs = section.fields_for(kind)
        if field_specs:
            initial = {f.name: from_json(f, sections.get_path(stored, f.key)) for f in field_specs}
            self.fields_form = fields_form_class(section, kind)(
                data=data, initial=initial, prefix="f"
            )
        self.formsets = []
        for spec in section.lists_for(kind):
            is_targets = section is sections.TARGETS
            if is_targets:
                rows = sections.target_rows(stored)
            else:
                rows = sections.rows(stored, spec)
            initial = [
                {**{c.key: from_json(c, r.get(c.key)) for c in spec.columns}, "key": r.get("key")}
                for r in rows
            ]
            extra = 1 if (add == spec.prefix or (not rows and not is_targets)) else 0
            formset_class = forms.formset_factory(
                row_form_class(spec, with_key=is_targets),
                extra=extra,
                can_delete=True,
                max_num=MAX_ROWS,
                validate_max=True,
            )
            formset = formset_class(data=data, initial=initial, prefix=spec.prefix)
            formset.spec = spec
            self.formsets.append(formset)

    def is_valid(self) -> bool:
        ok = True
        if self.fields_form is not None:
            ok = self.fields_form.is_valid() and ok
        for fs in self.formsets:
            ok = fs.is_valid() and ok
        return ok

    def cleaned_section(self) -> dict:
        """The section's JSON as typed (only after is_valid())."""
        kind = self.application.kind
        stored = (self.application.plan or {}).get(self.section.code) or {}
        out: dict = {}
        # keep keys of fields not shown for this kind (e.g. after a kind change)
        for f in self.section.fields:
            if kind not in f.shown_for and sections.get_path(stored, f.key) is not None:
                sections.set_path(out, f.key, sections.get_path(stored, f.key))
        if self.fields_form is not None:
            for f in self.section.fields_for(kind):
                sections.set_path(out, f.key, to_json(f, self.fields_form.cleaned_data.get(f.name)))
        for fs in self.formsets:
            spec = fs.spec
            rows = []
            for form in fs.forms:
                data = form.cleaned_data or {}
                key = data.get("key") or ""
                standard = key in sections.STANDARD_TARGET_KEYS
                if data.get("DELETE") and not standard:
                    continue
                if form.is_blank() and not standard:
                    continue
                row = {c.key: to_json(c, data.get(c.key)) for c in spec.columns}
                if self.section is sections.TARGETS:
                    if standard:
                        row["label"], row["unit"] = sections.stored_standard_target(key)
                    else:
                        key = key if key.startswith("custom_") else ""
                    row = {"key": key, **row}
                rows.append(row)
            if self.section is sections.TARGETS:
                used = {r["key"] for r in rows if r["key"]}
                n = 0
                for r in rows:
                    if not r["key"]:
                        n += 1
                        while f"custom_{n}" in used:
                            n += 1
                        r["key"] = f"custom_{n}"
                        used.add(r["key"])
            sections.set_path(out, spec.key, rows)
        for spec in self.section.lists:
            if kind not in spec.shown_for and sections.get_path(stored, spec.key) is not None:
                sections.set_path(out, spec.key, sections.get_path(stored, spec.key))
        return out

    def __iter__(self):
        if self.fields_form is not None:
            yield self.fields_form
        yield from self.formsets


class BasicsForm(BootstrapFormMixin, forms.ModelForm):
    """Model columns of the plan: name, kind, field, strategic areas, organizing department."""

    class Meta:
        model = Application
        fields = ["name", "kind", "industry_field", "strategic_areas", "department"]
        widgets = {"strategic_areas": forms.CheckboxSelectMultiple}
        labels = {
            "name": _(
                "Name of the proposed center (the ×× in “Shanxi Provincial ×× Technology Innovation Center”)"
            ),
            "kind": _("Kind of center"),
            "industry_field": _("Industry field (domain centers)"),
            "strategic_areas": _("Strategic areas served (comprehensive centers)"),
            "department": _("Organizing department"),
        }
        help_texts = {
            "name": _(
                "In Chinese, for example “semiconductor materials”: the full name is then “Shanxi "
                "Provincial Semiconductor Materials Technology Innovation Center”."
            )
        }

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry_field"].queryset = IndustryField.objects.current()
        self.fields["industry_field"].required = False
        self.fields["strategic_areas"].queryset = StrategicArea.objects.all()
        self.fields["strategic_areas"].required = False
        self.fields["department"].queryset = Department.objects.select_related("city")
        if not self.instance.pk and organization is not None:
            self.initial.setdefault("department", default_department(organization).pk)

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        for prefix in ("山西省",):
            if name.startswith(prefix):
                name = name[len(prefix) :]
        if name.endswith("技术创新中心"):
            name = name[: -len("技术创新中心")]
        if not name:
            raise forms.ValidationError(_("Enter the ×× part of the center's name."))
        return name


def default_department(organization) -> Department:
    """The S&T bureau of the organization's city; the provincial department otherwise."""
    if organization.in_shanxi and organization.registered_city_id:
        bureau = Department.objects.filter(
            kind=Department.Kind.CITY_BUREAU, city_id=organization.registered_city_id
        ).first()
        if bureau:
            return bureau
    return Department.province()


class AttachmentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of attachment"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Word (doc/docx), Excel (xls/xlsx) or image (jpg/png), at most 20 MB each."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .eligibility import ATTACHMENT_LABELS

        self.fields["kind"].choices = list(ATTACHMENT_LABELS.items())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.safe_name, self.content_type = files.check_upload(upload)
        return upload


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
