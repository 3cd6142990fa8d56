"""HTML5 input widgets that render values their input type accepts, in every language.

Django renders a date with the first of the active language's ``DATE_INPUT_FORMATS``
(``2026/01/15`` under zh-hans). ``<input type="date">`` accepts only ``2026-01-15``:
the browser shows such a field empty and submits nothing, so a save loses the date.
These widgets render the wire formats of the HTML standard, whatever the language:

- date: ``YYYY-MM-DD``; datetime-local: ``YYYY-MM-DDTHH:MM``; time: ``HH:MM``;
- number: digits with ``.`` as decimal separator, no thousands separator, no exponent.

Parsing still accepts these formats: Django adds the ISO formats to every language's
input formats. ``html5_inputs`` swaps them into any form (the form mixin calls it).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TIME_FORMAT = "%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's signature
        super().__init__(attrs, format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs, format=DATETIME_FORMAT)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs, format=TIME_FORMAT)


def plain_number(value) -> str | None:
    """``value`` as a valid HTML floating-point number: ``1234.5``, never ``1,234.5``/``1E+3``."""
    if value is None or value == "" or isinstance(value, bool):
        return None if value in (None, "") else str(value)
    if isinstance(value, int):
        return str(value)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)  # typed text coming back after an error: keep it as typed
    if not number.is_finite():
        return str(value)
    text = format(number, "f")
    if "." in text and isinstance(value, float):
        text = text.rstrip("0").rstrip(".")
    return text


class NumberInput(forms.NumberInput):
    """Never localized: the browser expects ``.`` and no grouping whatever the language."""

    def format_value(self, value):
        return plain_number(value)


SWAPS = (
    # Django's widget class -> ours (exact classes only: a project subclass is left alone)
    (forms.DateInput, DateInput),
    (forms.DateTimeInput, DateTimeInput),
    (forms.TimeInput, TimeInput),
    (forms.NumberInput, NumberInput),
)


def html5_widget(widget: forms.Widget) -> forms.Widget:
    for django_class, ours in SWAPS:
        if type(widget) is django_class:
            new = ours(attrs={k: v for k, v in widget.attrs.items() if k != "type"})
            new.is_localized = False
            new.is_required = widget.is_required
            return new
    return widget


NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def html5_inputs(fields) -> None:
    """Give every date/datetime/time/number field of a form its HTML5 widget (in place)."""
    for field in fields.values():
        if field.localize and isinstance(field, NUMBER_FIELDS):
            # a localized number field gets a text input with "1,234.5": make it a number again
            if type(field.widget) is forms.TextInput:
                widget = NumberInput(attrs=field.widget.attrs)
                widget.attrs.update(field.widget_attrs(widget))
                widget.is_required = field.required
                field.widget = widget
        field.localize = False
        field.widget.is_localized = False
        field.widget = html5_widget(field.widget)


class Html5InputsMixin:
    """A form whose date, time and number inputs render values their input type accepts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        html5_inputs(self.fields)
