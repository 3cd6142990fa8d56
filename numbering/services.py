"""Taking and raising numbers: the one place that locks and increments a sequence row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from audit.services import record

from .models import Sequence


class SequenceError(Exception):
    """A sequence cannot be changed as asked; the message is Chinese, for the user."""


def _locked_row(kind: str, year: int) -> Sequence:
    """The (kind, year) row, locked with select_for_update; created at 0 when missing.

    Two transactions that both find no row both try to insert it: the unique
    constraint makes the second wait for the first and then fail, inside its own
    savepoint, and it locks the row the first one committed instead.
    """
    rows = Sequence.objects.select_for_update()
    try:
        return rows.get(kind=kind, year=year)
    except Sequence.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Sequence.objects.create(kind=kind, year=year, last=0)
    except IntegrityError:  # created concurrently
        return rows.get(kind=kind, year=year)


def take(kind: str, year: int) -> int:
    """The next number (1, 2, 3, ...) of ``kind`` in ``year``; race-safe and gapless.

    Call it inside the transaction that stores the number: the row stays locked until
    that transaction ends, so concurrent callers get consecutive, distinct numbers and a
    caller that rolls back gives its number back.
    """
    with transaction.atomic():
        row = _locked_row(kind, year)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last


def raise_to(*, actor, kind: str, year: int, last: int) -> Sequence:
    """Move a sequence forward (numbers of the series were issued outside this system).

    Lowering it is refused: it would hand out a number twice.
    """
    if actor is not None and not actor.has_perm("numbering.change_sequence"):
        raise PermissionDenied("只有系统管理员可以调整编号起点。")
    with transaction.atomic():
        row = _locked_row(kind, year)
        if last < row.last:
            raise SequenceError(
                f"{row.label}已用到{row.last}号，只能调大，不能调小（否则编号会重复）。"
            )
        if last == row.last:
            return row
        before = row.last
        row.last = last
        row.save(update_fields=["last"])
        record(
            actor=actor,
            action="numbering.sequence.raised",
            target=row,
            data={
                "label": f"{row.label}编号起点由{before}调整为{last}",
                "from": before,
                "to": last,
            },
        )
    return row
