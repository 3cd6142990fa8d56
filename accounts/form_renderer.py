"""The form renderer (FORM_RENDERER): Django's, with its plainest widgets written in Python.

Django renders every widget through a template; an ``<input>`` costs a template render
and an include of ``attrs.html``, a select one include per option. On a list page the
filter bar's selects (up to ~40 options each) took about a quarter of the page's time.
Inputs (text, date, number, checkbox …), selects and textareas are written here with the
exact markup of Django's templates, from the same context (``widget.get_context``, so
the values, ``selected`` and the ``aria-*`` attributes the bound field adds are Django's);
every other template (radio lists, file inputs, errors, a project's own widget template)
still goes through Django's template engine.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

WIDGETS = "django/forms/widgets/"
# the templates that are only {% include "django/forms/widgets/input.html" %}
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "tel",
        "search",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
)


NO_ATTRS = format_html("{}", "")
SELECTED = format_html(" {}", "selected")


def attrs_html(attrs: dict):
    """``django/forms/widgets/attrs.html``: `` name="value"`` in order, a True value as
    the bare name, a False value left out."""
    if not attrs:
        return NO_ATTRS  # most options
    if attrs == {"selected": True}:
        return SELECTED
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', str(value)))
            for name, value in attrs.items()
            if value is not False
        ),
    )


def render_input(widget: dict):
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        "" if value is None else format_html(' value="{}"', str(value)),
        attrs_html(widget["attrs"]),
    )


def render_select(widget: dict):
    if any(
        o["template_name"] != OPTION for _n, choices, _i in widget["optgroups"] for o in choices
    ):
        return None  # a select with its own option template: Django's engine renders it

    def options(choices):
        return format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            ((str(o["value"]), attrs_html(o["attrs"]), o["label"]) for o in choices),
        )

    groups = format_html_join(
        "",
        "{}",
        (
            (
                format_html('\n  <optgroup label="{}">{}\n  </optgroup>', name, options(choices))
                if name
                else options(choices),
            )
            for name, choices, _index in widget["optgroups"]
        ),
    )
    return format_html(
        '<select name="{}"{}>{}\n</select>', widget["name"], attrs_html(widget["attrs"]), groups
    )


def render_textarea(widget: dict):
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        attrs_html(widget["attrs"]),
        widget["value"] or "",
    )


OPTION = f"{WIDGETS}select_option.html"
WRITTEN = {
    **dict.fromkeys(INPUT_TEMPLATES, render_input),
    f"{WIDGETS}select.html": render_select,
    f"{WIDGETS}textarea.html": render_textarea,
}


class WrittenWidgets(DjangoTemplates):
    """Django's default renderer, writing the widgets of :data:`WRITTEN` in Python."""

    def render(self, template_name, context, request=None):
        write = WRITTEN.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return super().render(template_name, context, request=request)
        return html
