"""Plan data as a person reads it: target labels, never codes such as ``rd_spending_wan``."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from applications import versions
from applications.sections import STANDARD_TARGETS
from applications.services import (
    application_save_section,
    application_submit,
    application_transition,
)
from tests.factories import reviewer

pytestmark = pytest.mark.django_db
CODES = [key for key, _label, _unit in STANDARD_TARGETS]


def test_version_and_compare_pages_name_targets_by_label(client, user, plan):
    app = application_submit(actor=user, application_id=plan.pk)
    application_transition(
        actor=reviewer(), application_id=app.pk, transition="return_plan", reason="请补充目标"
    )
    targets = dict(plan.plan["targets"])
    targets["items"] = [
        dict(row, target=9999) if row.get("key") == "rd_spending_wan" else row
        for row in targets["items"]
    ]
    application_save_section(actor=user, application_id=plan.pk, section="targets", data=targets)
    application_submit(actor=user, application_id=plan.pk)
    client.force_login(user)
    compare = client.get(reverse("applications:compare", args=[plan.pk]), {"a": 1, "b": 2})
    html = compare.content.decode()
    assert "研发投入" in html and "9999" in html
    version = client.get(reverse("applications:version", args=[plan.pk, 2])).content.decode()
    for page in (html, version):
        assert not [code for code in CODES if code in page]


def test_compare_names_a_standard_target_row_without_its_label():
    def version(value):
        rows = [{"key": "rd_spending_wan", "baseline": 1, "target": value}]
        return SimpleNamespace(data={"plan": {"targets": {"items": rows}}}, attachments=[])

    diff = {s["code"]: s for s in versions.compare(version(10), version(20))}
    assert diff["targets"]["lists"][0]["changed"][0]["row"] == "研发投入"
