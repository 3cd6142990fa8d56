"""``{% error_summary form formset bundle … %}``: the error summary of a refused form (issue 16).

Takes forms, formsets and iterables of them (a plan section's ``SectionForms``) and renders
``_forms/error_summary.html`` with one item per error: the field's label (a formset row's
label says which row) and a link to the field's input (the first option of a radio or
checkbox group). Renders nothing when no form is bound with errors.
"""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.utils.translation import gettext

register = template.Library()


def _field_href(bound: forms.BoundField) -> str:
    if bound.use_fieldset:
        return f"{bound.auto_id}_0" if bound.auto_id else ""
    return bound.id_for_label or ""


def _form_items(form: forms.BaseForm, prefix: str = "") -> list[dict]:
    items = [
        {"label": prefix.rstrip(" -"), "message": e, "href": ""} for e in form.non_field_errors()
    ]
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        href = "" if bound.is_hidden else _field_href(bound)
        for error in errors:
            items.append({"label": f"{prefix}{bound.label}", "message": error, "href": href})
    return items


def summary_items(*things) -> list[dict]:
    items: list[dict] = []
    for thing in things:
        if thing is None or thing == "":
            continue
        if isinstance(thing, forms.BaseForm):
            if thing.is_bound:
                items += _form_items(thing)
        elif isinstance(thing, forms.BaseFormSet):
            if not thing.is_bound:
                continue
            spec = getattr(thing, "spec", None)
            title = f"{spec.label} - " if spec is not None else ""
            for error in thing.non_form_errors():
                items.append({"label": title.rstrip(" -"), "message": error, "href": ""})
            for number, form in enumerate(thing.forms, start=1):
                row = gettext("Row %(number)s") % {"number": number}
                items += _form_items(form, prefix=f"{title}{row} - ")
        else:
            items += summary_items(*thing)
    return items


@register.simple_tag(takes_context=True)
def error_summary(context, *things):
    items = summary_items(*things)
    if not items:
        return ""
    return render_to_string(
        "_forms/error_summary.html", {"items": items}, request=context.get("request")
    )
