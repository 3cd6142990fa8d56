"""One form-rendering path for every widget kind (issue 16, item 1): groups in a fieldset with
a legend and no input class on their wrapper, a label for every control, aria-describedby
pointing only at ids the page has, aria-invalid on invalid fields, the error summary linking
to each field, and labelled cells in the plan's row tables."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import engines
from django.urls import reverse

from accounts.forms import BootstrapFormMixin
from applications import sections

CHOICES = [("a", "甲"), ("b", "乙")]


class AllKinds(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="名称", help_text="填写全称")
    kind = forms.ChoiceField(
        label="类型", choices=CHOICES, widget=forms.RadioSelect, help_text="选一项"
    )
    areas = forms.MultipleChoiceField(
        label="区域", choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )
    pick = forms.ChoiceField(label="下拉", choices=CHOICES)
    agree = forms.BooleanField(label="同意")
    note = forms.CharField(label="说明", widget=forms.Textarea, required=False)


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements, self.ids, self.label_for, self.stack = [], set(), set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])

    def controls(self):
        for tag, attrs in self.elements:
            if tag in ("select", "textarea") or (
                tag == "input" and attrs.get("type") not in ("hidden", "submit", "button")
            ):
                yield tag, attrs

    def problems(self):
        out = []
        for tag, attrs in self.elements:
            for ref in (attrs.get("aria-describedby") or "").split():
                if ref not in self.ids:
                    out.append(f"<{tag} id={attrs.get('id')}> describedby missing #{ref}")
            if "form-check-input" in (attrs.get("class") or "") and tag != "input":
                out.append(f"<{tag} id={attrs.get('id')}> has form-check-input")
        for _tag, attrs in self.controls():
            if attrs.get("id") not in self.label_for and not attrs.get("aria-label"):
                out.append(f"control {attrs.get('name')} has no label")
        return out


def render(form):
    template = engines["django"].from_string('{% include "_forms/fields.html" with form=form %}')
    return template.render({"form": form})


def test_every_widget_kind_renders_labelled_with_groups_in_fieldsets():
    html = render(AllKinds())
    page = Page(html)
    assert page.problems() == []
    assert html.count("<fieldset") == 2 and "<legend" in html
    assert 'class="choice-group"' in html and 'id="id_kind_0"' in html
    assert "error-summary" not in html  # an unbound form has no summary


def test_a_refused_form_marks_fields_invalid_and_summarizes_with_links():
    form = AllKinds(data={"name": "", "pick": "zzz"})
    assert not form.is_valid()
    html = render(form)
    page = Page(html)
    assert page.problems() == []
    invalid = {a.get("name") for t, a in page.elements if a.get("aria-invalid") == "true"}
    assert {"name", "pick", "agree", "kind", "areas"} <= invalid
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-describedby="id_kind_helptext id_kind_error"' in html  # on the fieldset
    summary = html[html.index("error-summary") : html.index("</ul>")]
    for target in ("#id_name", "#id_kind_0", "#id_areas_0", "#id_pick", "#id_agree"):
        assert f'href="{target}"' in summary
        assert target[1:] in page.ids
    assert 'role="alert"' in html and 'tabindex="-1"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("code", [s.code for s in sections.SECTIONS if s.lists_for("domain")])
def test_every_input_of_the_plan_row_tables_has_a_label(client, code):
    from applications.services import application_create
    from centers.models import IndustryField
    from tests.factories import OrganizationFactory, applicant, bureau

    user = applicant(OrganizationFactory())
    app = application_create(
        actor=user,
        name="煤机智能",
        kind="domain",
        industry_field=IndustryField.objects.get(code="F06"),
        department=bureau("太原市"),
    )
    client.force_login(user)
    html = client.get(reverse("applications:section", args=[app.pk, code])).content.decode()
    page = Page(html)
    assert "formset-table" in html
    assert page.problems() == []
    assert "第 1 行" in html  # the hidden labels name the row
