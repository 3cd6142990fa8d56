"""The form renderer (accounts/form_renderer.py) writes inputs, selects and textareas with
exactly the markup of Django's templates; anything else still goes through the templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from accounts.form_renderer import WrittenWidgets
from accounts.forms import BootstrapFormMixin
from accounts.widgets import DateInput, NumberInput

TEMPLATES, WRITTEN = DjangoTemplates(), WrittenWidgets()
ATTRS = [
    {},
    {"class": "form-control", "required": True, "disabled": False, "aria-describedby": 'a"b'},
]
HOSTILE = "<script>alert('x')</script>&\""
CHOICES = [("", "---"), ("a", "A<&>"), (1, "一"), ("G", [("g1", "G1"), ("g2", HOSTILE)])]


def _templates(widget, value) -> str:
    html = widget.render("name", value, attrs={"id": "id_name"}, renderer=TEMPLATES)
    # Django's select.html leaves an empty line after each option; the markup is the same
    return "\n".join(line for line in html.splitlines() if line.strip())


INPUTS = [
    forms.TextInput,
    NumberInput,
    DateInput,
    forms.EmailInput,
    forms.HiddenInput,
    forms.CheckboxInput,
    forms.PasswordInput,
    forms.FileInput,
    forms.Textarea,
]


@pytest.mark.parametrize("widget_class", INPUTS)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", HOSTILE, 0, 12.5, True, "行\n二"])
def test_inputs_are_written_as_the_templates_write_them(widget_class, attrs, value):
    widget = widget_class(attrs=attrs)
    written = widget.render("name", value, attrs={"id": "id_name"}, renderer=WRITTEN)
    assert written == _templates(widget, value)
    assert "<script>" not in written


@pytest.mark.parametrize("widget_class", [forms.Select, forms.SelectMultiple])
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "a", 1, ["a", "g2"], "g2", "unknown"])
def test_selects_are_written_as_the_templates_write_them(widget_class, attrs, value):
    widget = widget_class(attrs=attrs, choices=CHOICES)
    written = widget.render("name", value, attrs={"id": "id_name"}, renderer=WRITTEN)
    assert written == _templates(widget, value)
    assert "<script>" not in written and "&lt;script&gt;" in written


def test_a_select_with_its_own_option_template_goes_through_the_templates(monkeypatch):
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/select_option.html"

    calls = []
    monkeypatch.setattr(
        DjangoTemplates, "render", lambda self, name, context, request=None: calls.append(name)
    )
    Starred(choices=CHOICES).render("name", "a", renderer=WRITTEN)
    assert calls == []  # Django's own option template: written here
    Starred.option_template_name = "accounts/widgets/choice_group.html"
    Starred(choices=CHOICES).render("name", "a", renderer=WRITTEN)
    assert calls == ["django/forms/widgets/select.html"]


class _Form(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=5, help_text="五个字以内")
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")])
    group = forms.ChoiceField(
        label="组", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect
    )


def test_a_bound_form_renders_its_errors_and_aria_attributes_as_before():
    form = _Form(data={"name": "太长的名称啊", "kind": "b", "group": "z"})
    assert not form.is_valid()
    form.renderer = WRITTEN
    written = str(form["name"]) + str(form["kind"]) + str(form["group"])
    form.renderer = TEMPLATES
    before = str(form["name"]) + str(form["kind"]) + str(form["group"])
    lines = [line for line in before.splitlines() if line.strip()]
    assert [line for line in written.splitlines() if line.strip()] == lines
    assert 'aria-invalid="true"' in written and 'value="太长的名称啊"' in written
    assert '<option value="b" selected>乙</option>' in written
