"""Cached select options of reference tables (accounts/choices.py): read once, then from the
cache; a saved or deleted row shows on the next form; labels per language; a field given
another queryset gets that queryset's options; validation still asks the database."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.choices import ReferenceChoiceField
from accounts.models import City, Department

pytestmark = pytest.mark.django_db


class CityForm(forms.Form):
    city = ReferenceChoiceField(queryset=City.objects.all(), required=False, empty_label="全部")
    bureau = ReferenceChoiceField(
        queryset=Department.objects.filter(kind=Department.Kind.CITY_BUREAU), required=False
    )


def _render(data=None) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        form = CityForm(data)
        html = str(form["city"]) + str(form["bureau"])
    return html, len(ctx.captured_queries)


def test_options_are_read_once_then_come_from_the_cache():
    first, queries = _render()
    assert queries == 2 and "太原市" in first and "太原市科学技术局" in first
    again, queries = _render()
    assert (again, queries) == (first, 0)


def test_a_new_renamed_or_deleted_row_shows_on_the_next_form():
    _render()
    city = City.objects.create(name="测试市", name_en="Test City", division_code="149900")
    assert "测试市" in _render()[0]
    city.name = "改名市"
    city.save()
    html = _render()[0]
    assert "改名市" in html and "测试市" not in html
    city.delete()
    assert "改名市" not in _render()[0]


def test_labels_follow_the_language_and_each_language_is_cached_apart():
    zh = _render()[0]
    with translation.override("en"):
        en, queries = _render()
        city_select = en.split("</select>")[0]
        assert "Taiyuan" in city_select and "太原市" not in city_select and queries == 2
        assert _render() == (en, 0)
    assert _render() == (zh, 0)


def test_another_queryset_over_the_same_table_has_its_own_options():
    _render()
    form = CityForm()
    form.fields["city"].queryset = City.objects.filter(division_code="140200")
    html = str(form["city"])
    assert "大同市" in html and "太原市" not in html
    assert "太原市" in _render()[0]  # the declared field's options are untouched


def test_a_submitted_value_is_still_checked_in_the_database():
    _render()
    city = City.objects.get(division_code="140100")
    form = CityForm({"city": str(city.pk)})
    assert form.is_valid() and form.cleaned_data["city"] == city
    refused = CityForm({"city": "999999"})
    assert not refused.is_valid()
    assert refused.errors.as_data()["city"][0].code == "invalid_choice"
