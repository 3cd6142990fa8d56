"""Select options of small reference tables (cities, departments, industry fields), cached.

A list's filter bar has three such selects; each read its table on every page (three
queries, a quarter of the filter bar's time). :class:`ReferenceChoiceField` keeps the
``(pk, label)`` options of its queryset in the cache, per language (labels are localized),
and drops them whenever a row of the table is saved or deleted — at once and again when
the transaction commits, so a page rendered meanwhile cannot keep the old options. The
options expire after :data:`SECONDS` in any case. Validation is Django's: a submitted value
is still looked up in the queryset, so an option removed a moment ago is refused.
"""

from __future__ import annotations

import hashlib
import time

from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

SECONDS = 600


def _key(model) -> str:
    return f"choices:{model._meta.label_lower}"


VERSION_KEY = "choices:version"


def forget(model) -> None:
    """The cached options of ``model``'s table are stale, and so is every fragment rendered
    with options (the filter bars: :func:`version` is part of their key)."""
    cache.delete(_key(model))
    cache.set(VERSION_KEY, time.time_ns(), None)


def version() -> int:
    """Moves on whenever the options of any watched table change."""
    found = cache.get(VERSION_KEY)
    if found is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        found = cache.get(VERSION_KEY, 0)
    return found


def _on_change(sender, **_kwargs) -> None:
    forget(sender)
    transaction.on_commit(lambda: forget(sender))


def watch(model) -> None:
    """Drop ``model``'s cached options whenever one of its rows changes (idempotent)."""
    uid = f"reference-choices:{model._meta.label_lower}"
    post_save.connect(_on_change, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_on_change, sender=model, weak=False, dispatch_uid=uid)


def options(field: forms.ModelChoiceField) -> list[tuple[object, str]]:
    """The ``(pk, label)`` options of ``field``'s queryset, from the cache when it has them."""
    qs = field.queryset
    part = f"{field.digest()}:{translation.get_language()}"
    stored = cache.get(_key(qs.model)) or {}
    found = stored.get(part)
    if found is None:
        found = [(obj.pk, str(field.label_from_instance(obj))) for obj in qs]
        cache.set(_key(qs.model), {**stored, part: found}, SECONDS)
    return found


class ReferenceChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from options(self.field)

    def __len__(self):
        return len(options(self.field)) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(options(self.field))


class ReferenceChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over a small reference table, its options cached."""

    iterator = ReferenceChoiceIterator

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        watch(queryset.model)

    def _set_queryset(self, queryset):
        forms.ModelChoiceField._set_queryset(self, queryset)
        self._digest = [None]  # shared with the form's copies of this field

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)  # the same query, cloned: the same options
        result._digest = self._digest
        return result

    def digest(self) -> str:
        """What tells this queryset's options from another's over the same table (worked
        out once for the declared field and its copies in every form)."""
        if self._digest[0] is None:
            sql, params = self.queryset.query.sql_with_params()
            self._digest[0] = hashlib.sha256(f"{sql}{params}".encode()).hexdigest()[:16]
        return self._digest[0]
