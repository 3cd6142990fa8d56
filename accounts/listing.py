"""Officer and reviewer lists: one filter form, paging, the query string and the exports.

Each app describes its lists in ``<app>/lists.py`` as :class:`ListDef` objects — the
object-filtered base queryset (what the user may see at all), how the filter form narrows
it, and the export columns with their Chinese headings — and registers them in its
``AppConfig.ready`` with :func:`register`. The view calls ``accounts.list_views.list_page``; a
background export (``accounts/exports.py``) finds the same list by name and rebuilds the same
queryset for the same user from the stored query string, so the file holds exactly the
rows the list shows.

We keep this small helper rather than django-filter: every list already has its
permission-filtered selector and a form with Chinese messages; what was missing is the
shared paging, the query string kept across pages and the export, which django-filter
does not give either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import pgettext_lazy

from .widgets import DateInput, Html5InputsMixin

EXPORT_PARAM = "export"
EXPORT_FORMATS = ("csv", "xlsx")
PAGE_PARAM = "page"
# parameters of a list's URL that are not its filters
NOT_FILTERS = (PAGE_PARAM, EXPORT_PARAM)
DATE_ERROR = "请输入有效的日期，例如 2026-03-05。"


class ListFilterForm(Html5InputsMixin, forms.Form):
    """The filter form of a list: a text search ``q`` and whatever the subclass adds;
    ``date_from`` / ``date_to`` are checked as a range when the subclass has them."""

    q = forms.CharField(
        label=pgettext_lazy("search the list", "Search"), required=False, max_length=100, strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            css = "form-select form-select-sm" if isinstance(f, forms.ChoiceField) else ""
            f.widget.attrs.setdefault("class", css or "form-control form-control-sm")
            f.widget.attrs.setdefault("id", f"filter-{name}")

    def clean_q(self):
        return (self.cleaned_data.get("q") or "").replace("\x00", "").strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    def filters(self) -> dict:
        """The cleaned filters, or none of them when the form is invalid (the list then
        shows everything the user may see, and the form says which rule failed)."""
        return dict(self.cleaned_data) if self.is_valid() else {}


def date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=DateInput, error_messages={"invalid": DATE_ERROR}
    )


def text_search(qs: QuerySet, text: str, *paths: str) -> QuerySet:
    """Rows where any of ``paths`` contains ``text`` (case-insensitive)."""
    if not text:
        return qs
    cond = Q()
    for path in paths:
        cond |= Q(**{f"{path}__icontains": text})
    return qs.filter(cond)


def date_range(qs: QuerySet, path: str, filters: dict) -> QuerySet:
    """``date_from`` ≤ ``path`` ≤ ``date_to`` (``path`` a date, or a datetime's ``__date``)."""
    if filters.get("date_from"):
        qs = qs.filter(**{f"{path}__gte": filters["date_from"]})
    if filters.get("date_to"):
        qs = qs.filter(**{f"{path}__lte": filters["date_to"]})
    return qs


@dataclass(frozen=True)
class Column:
    heading: str  # Chinese, the export's column heading
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListDef:
    """One officer or reviewer list."""

    name: str  # registry key, also the export's file name ("plans")
    title: str  # Chinese, the export's sheet title
    form_class: type[ListFilterForm]
    base: Callable[[Any], QuerySet]  # user -> what the user may see (object-filtered)
    # narrow by the cleaned filters, and order; the filters also hold the user as "_user"
    apply: Callable[[QuerySet, dict], QuerySet]
    columns: tuple[Column, ...]
    defaults: Callable[[Any], dict] = field(default=lambda user: {})

    def bound_form(self, user, params: QueryDict) -> ListFilterForm:
        data = params.copy()
        for key, value in self.defaults(user).items():
            if key not in data:
                data[key] = value
        return self.form_class(data)

    def queryset(self, user, params: QueryDict) -> tuple[ListFilterForm, QuerySet]:
        form = self.bound_form(user, params)
        return form, self.apply(self.base(user), {**form.filters(), "_user": user})

    def headers(self) -> list[str]:
        return [str(c.heading) for c in self.columns]

    def rows(self, qs: Iterable) -> Iterable[list]:
        for obj in qs:
            yield [c.value(obj) for c in self.columns]


_lists: dict[str, ListDef] = {}


def register(listdef: ListDef) -> ListDef:
    _lists[listdef.name] = listdef
    return listdef


def register_all(listdefs: Iterable[ListDef]) -> None:
    for listdef in listdefs:
        register(listdef)


def get(name: str) -> ListDef:
    return _lists[name]


def list_params(request) -> QueryDict:
    """The request's filters without the page and the export switch."""
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    params.pop(EXPORT_PARAM, None)
    return params
