"""Bulk actions: one service call per selected item, each in its own transaction (so each
writes its own audit event and one refusal leaves the others done), and one Chinese line
per item telling what happened to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.utils.translation import gettext as _

from documents.languages import punct

MAX_ITEMS = 200


@dataclass(frozen=True)
class Outcome:
    label: str
    ok: bool
    problems: tuple[str, ...] = ()


def selected_ids(data, name: str = "ids") -> list[int]:
    """The distinct positive integer ids posted under ``name`` (others are ignored)."""
    out: list[int] = []
    for raw in data.getlist(name)[:MAX_ITEMS]:
        if raw.isdigit() and 0 < int(raw) < 2**31 and int(raw) not in out:
            out.append(int(raw))
    return out


def run_each(
    items: Iterable[tuple[int, str]],
    action: Callable[[int], object],
    refusals: tuple[type[Exception], ...],
) -> list[Outcome]:
    """``action(id)`` for each (id, label); a refusal (``.messages`` in Chinese) is kept as
    that item's outcome and the next item goes on."""
    outcomes = []
    for pk, label in items:
        try:
            action(pk)
        except refusals as exc:
            problems = tuple(str(m) for m in getattr(exc, "messages", None) or [str(exc)])
            outcomes.append(Outcome(label=label, ok=False, problems=problems))
        else:
            outcomes.append(Outcome(label=label, ok=True))
    return outcomes


def report(request, outcomes: list[Outcome], *, done: str, missing: int = 0) -> None:
    """One message per item: ``done`` for the items done, the reasons for the others."""
    ok = [o for o in outcomes if o.ok]
    if ok:
        messages.success(
            request,
            _("%(done)s (%(count)s): %(items)s")
            % {"done": done, "count": len(ok), "items": punct("、").join(o.label for o in ok)},
        )
    for outcome in outcomes:
        if not outcome.ok:
            messages.error(
                request,
                _("%(item)s: not done — %(problems)s")
                % {"item": outcome.label, "problems": punct("；").join(outcome.problems)},
            )
    if missing:
        messages.error(
            request,
            _(
                "%(count)s item(s) are no longer yours to handle (someone else may have "
                "handled them) and were not done."
            )
            % {"count": missing},
        )
    if not outcomes and not missing:
        messages.error(request, _("Choose at least one item."))
