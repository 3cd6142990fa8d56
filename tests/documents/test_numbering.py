"""Document numbers: unique and sequential per (prefix, year), also under concurrency."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from documents import services
from documents.models import IssuedDocument
from numbering.models import Sequence
from tests.documents.conftest import make_center

NOW = dt.datetime(2026, 10, 13, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def take(year=2026, prefix=None):
    with transaction.atomic():
        return services.allocate_number(year=year, prefix=prefix)


@pytest.mark.django_db
def test_numbers_follow_each_other_per_prefix_and_year():
    assert [take()[2] for _ in range(3)] == [1, 2, 3]
    assert take(year=2027)[2] == 1
    assert take(prefix="晋科函")[2] == 1
    assert take()[2] == 4
    assert Sequence.objects.get(kind="document:晋科发", year=2026).last == 4


@pytest.mark.django_db
def test_prefix_comes_from_settings(settings):
    settings.DOC_NUMBER_PREFIX = "晋科函"
    assert take() == ("晋科函", 2026, 1)


@pytest.mark.django_db
def test_a_stale_sequence_copy_cannot_hand_out_a_number_twice():
    """Sequential simulation of two issuers: the second reads the counter before the first
    commits its number; the row lock (and, failing that, the unique constraint) keeps the
    numbers distinct."""
    stale = Sequence.objects.create(kind="document:晋科发", year=2026, last=0)
    assert take()[2] == 1
    stale.refresh_from_db()  # what the lock makes the second issuer see
    assert take()[2] == 2

    # A writer that bypassed the lock and reused number 1 is refused by the database.
    center = make_center()
    services.issue_designation_notice(center_id=center.pk, now=NOW)  # takes number 3
    first = IssuedDocument.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            kind="other",
            prefix=first.prefix,
            year=first.year,
            sequence=first.sequence,
            number="",
            title="重复文号",
            file="documents/2026/dup.pdf",
            sha256="0" * 64,
            size=1,
            issued_at=NOW,
        )
    # ...and so is a second original designation notice for the same center.
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            kind="designation_notice",
            content_type=first.content_type,
            object_id=first.object_id,
            title="重复通知",
            file="documents/2026/dup2.pdf",
            sha256="0" * 64,
            size=1,
            issued_at=NOW,
        )


def _threads(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=20)
            results.append(target())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    return results


def _needs_a_shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share an in-memory SQLite database; CI runs this on PostgreSQL")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_allocations_get_distinct_consecutive_numbers():
    _needs_a_shared_database()
    numbers = _threads(lambda: take()[2], 4)
    assert sorted(numbers) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_issues_for_one_center_give_one_notice():
    _needs_a_shared_database()
    center = make_center()
    ids = _threads(lambda: services.issue_designation_notice(center_id=center.pk, now=NOW).pk, 2)
    assert len(set(ids)) == 1
    document = IssuedDocument.objects.get()
    assert document.number == "晋科发〔2026〕1号"
    assert Sequence.objects.get(kind="document:晋科发").last == 1
