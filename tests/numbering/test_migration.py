"""The data migrations carry the three old per-year counters over to numbering.Sequence."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("applications", "0003_versions_attachments_registration"),
    ("centers", "0003_meetings_publicity_centers"),
    ("documents", "0001_initial"),
    ("numbering", "0001_initial"),
]
AFTER = [
    ("applications", "0004_number_sequence_to_numbering"),
    ("centers", "0004_center_number_sequence_to_numbering"),
    ("documents", "0002_document_number_sequence_to_numbering"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_counters_move_to_one_sequence_table_and_back():
    old = _migrate(BEFORE)
    old.get_model("applications", "NumberSequence").objects.create(year=2026, last=17)
    old.get_model("applications", "NumberSequence").objects.create(year=2025, last=90)
    old.get_model("centers", "CenterNumberSequence").objects.create(year=2026, last=4)
    documents = old.get_model("documents", "DocumentNumberSequence").objects
    documents.create(prefix="晋科发", year=2026, last=12)
    documents.create(prefix="晋科函", year=2026, last=3)

    new = _migrate(AFTER)
    Sequence = new.get_model("numbering", "Sequence")
    assert set(Sequence.objects.values_list("kind", "year", "last")) == {
        ("application", 2026, 17),
        ("application", 2025, 90),
        ("center", 2026, 4),
        ("document:晋科发", 2026, 12),
        ("document:晋科函", 2026, 3),
    }
    tables = connection.introspection.table_names()
    assert "applications_numbersequence" not in tables
    assert "centers_centernumbersequence" not in tables
    assert "documents_documentnumbersequence" not in tables

    # ...and back again: the old tables get the counters (as raised since) back.
    Sequence.objects.filter(kind="center").update(last=5)
    old = _migrate(BEFORE)
    assert list(
        old.get_model("centers", "CenterNumberSequence").objects.values_list("year", "last")
    ) == [(2026, 5)]
    assert set(
        old.get_model("documents", "DocumentNumberSequence").objects.values_list(
            "prefix", "year", "last"
        )
    ) == {("晋科发", 2026, 12), ("晋科函", 2026, 3)}
    assert set(
        old.get_model("applications", "NumberSequence").objects.values_list("year", "last")
    ) == {(2026, 17), (2025, 90)}
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_migration_targets_are_the_latest_numbering_migrations():
    """Keeps BEFORE/AFTER honest when a later migration is added to one of the apps."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for app, name in AFTER:
        assert (app, name) in graph.nodes
        assert ("numbering", "0001_initial") in graph.node_map[(app, name)].parents
