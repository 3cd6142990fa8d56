"""One sequence mechanism for application, center and document numbers."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction

from applications.versions import next_number
from audit.models import AuditEvent
from centers.services.designation import next_center_number
from documents.services import allocate_number, format_number
from numbering import services
from numbering.models import APPLICATION, CENTER, Sequence, document_kind
from tests.factories import UserFactory, officer


def document_number(year=2026, prefix=None):
    with transaction.atomic():
        return format_number(*allocate_number(year=year, prefix=prefix))


@pytest.mark.django_db
def test_the_three_kinds_keep_their_formats_and_count_apart():
    assert [next_number(2026) for _ in range(2)] == ["SQ2026-0001", "SQ2026-0002"]
    assert next_center_number(2026) == "SXTIC-2026-001"
    assert document_number() == "晋科发〔2026〕1号"
    assert next_number(2027) == "SQ2027-0001"
    assert document_number(prefix="晋科函") == "晋科函〔2026〕1号"
    assert next_center_number(2026) == "SXTIC-2026-002"
    assert set(Sequence.objects.values_list("kind", "year", "last")) == {
        ("application", 2026, 2),
        ("application", 2027, 1),
        ("center", 2026, 2),
        ("document:晋科发", 2026, 1),
        ("document:晋科函", 2026, 1),
    }


@pytest.mark.django_db
def test_a_rolled_back_caller_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.take(APPLICATION, 2026) == 1
        raise RuntimeError("the submission failed after numbering")
    assert services.take(APPLICATION, 2026) == 1


@pytest.mark.django_db
def test_the_kind_and_year_pair_is_unique():
    from django.db import IntegrityError

    Sequence.objects.create(kind=CENTER, year=2026, last=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Sequence.objects.create(kind=CENTER, year=2026, last=0)
    assert services.take(CENTER, 2026) == 4


@pytest.mark.django_db
def test_an_administrator_raises_a_counter_but_never_lowers_it():
    admin = UserFactory(roles=["administrator"])
    row = services.raise_to(actor=admin, kind=document_kind("晋科发"), year=2026, last=40)
    assert row.last == 40
    assert document_number() == "晋科发〔2026〕41号"
    with pytest.raises(services.SequenceError) as err:
        services.raise_to(actor=admin, kind=document_kind("晋科发"), year=2026, last=5)
    assert "晋科发〔2026〕已用到41号，只能调大，不能调小" in str(err.value)
    with pytest.raises(PermissionDenied):
        services.raise_to(actor=officer(), kind=APPLICATION, year=2026, last=9)
    assert not Sequence.objects.filter(kind=APPLICATION).exists()
    event = AuditEvent.objects.get(action="numbering.sequence.raised")
    assert event.actor == admin
    assert event.data == {"label": "晋科发〔2026〕编号起点由0调整为40", "from": 0, "to": 40}


# --------------------------------------------------------------------------- threads


def _needs_a_shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share an in-memory SQLite database; CI runs this on PostgreSQL")


def _in_transaction(take):
    def run():
        with transaction.atomic():
            return take()

    return run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_threads_get_unique_gapless_numbers_of_all_three_kinds():
    """8 threads start together (no sequence row exists yet, so they also race to create it)
    and each takes 3 numbers of every kind, each in its own transaction."""
    _needs_a_shared_database()
    threads_count, rounds = 8, 3
    kinds = {
        "application": _in_transaction(lambda: next_number(2026)),
        "center": _in_transaction(lambda: next_center_number(2026)),
        "document": _in_transaction(document_number),
    }
    barrier = threading.Barrier(threads_count)
    taken = {kind: [] for kind in kinds}
    errors = []

    def run():
        try:
            barrier.wait(timeout=20)
            for _ in range(rounds):
                for kind, take in kinds.items():
                    taken[kind].append(take())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not errors, errors
    total = threads_count * rounds
    assert sorted(taken["application"]) == [f"SQ2026-{n:04d}" for n in range(1, total + 1)]
    assert sorted(taken["center"]) == [f"SXTIC-2026-{n:03d}" for n in range(1, total + 1)]
    assert sorted(taken["document"], key=lambda s: int(s[9:-1])) == [
        f"晋科发〔2026〕{n}号" for n in range(1, total + 1)
    ]
    assert set(Sequence.objects.values_list("kind", "last")) == {
        ("application", total),
        ("center", total),
        ("document:晋科发", total),
    }


@pytest.mark.django_db
def test_the_admin_lists_every_kind_with_its_chinese_label(client):
    next_number(2026)
    next_center_number(2026)
    document_number()
    client.force_login(UserFactory(roles=["administrator"], is_staff=True))
    page = client.get("/admin/numbering/sequence/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "编号序列" in body and "已用到的号" in body
    for label in ("申报编号 SQ2026", "中心编号 SXTIC-2026", "晋科发〔2026〕"):
        assert label in body
    added = client.post(
        "/admin/numbering/sequence/add/", {"kind": "document:晋科函", "year": 2027, "last": 8}
    )
    assert added.status_code == 302
    assert Sequence.objects.get(kind="document:晋科函", year=2027).last == 8
    assert document_number(year=2027, prefix="晋科函") == "晋科函〔2027〕9号"
