"""The shared HTML5 widgets (accounts/widgets.py) under both languages, and the mixin's swap."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.utils import timezone, translation

from accounts.forms import BootstrapFormMixin
from accounts.widgets import plain_number


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (Decimal("1E+3"), "1000"),
        (Decimal("1234567.50"), "1234567.50"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (12345.5, "12345.5"),
        (1234, "1234"),
        (0, "0"),
        ("12,5", "12,5"),  # typed text coming back with an error stays as typed
        (None, None),
        ("", None),
    ],
)
def test_plain_number(value, wire):
    assert plain_number(value) == wire


class Everything(BootstrapFormMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField()
    hour = forms.TimeField()
    amount = forms.DecimalField(localize=True, max_digits=12, decimal_places=2)
    count = forms.IntegerField(localize=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_mixin_renders_html5_values_in_every_language(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True  # the worst case: grouping switched on
    initial = {
        "day": dt.date(2026, 1, 15),
        "moment": timezone.make_aware(dt.datetime(2026, 1, 15, 9, 5)),
        "hour": dt.time(9, 5),
        "amount": Decimal("1234567.50"),
        "count": 1234567,
    }
    with translation.override(language):
        html = Everything(initial=initial).as_div()
        bound = Everything(
            data={
                "day": "2026-01-15",
                "moment": "2026-01-15T09:05",
                "hour": "09:05",
                "amount": "1234567.50",
                "count": "1234567",
            }
        )
        assert bound.is_valid(), bound.errors
    assert 'type="date" name="day" value="2026-01-15"' in html
    assert 'type="datetime-local" name="moment" value="2026-01-15T09:05"' in html
    assert 'type="time" name="hour" value="09:05"' in html
    assert 'type="number" name="amount" value="1234567.50"' in html
    assert 'type="number" name="count" value="1234567"' in html
    assert bound.cleaned_data == initial
