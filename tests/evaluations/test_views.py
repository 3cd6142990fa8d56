"""The pages of the evaluation: the refused side (another institution's evaluator, another
center's staff), what a refused form keeps, query counts of the lists at 1 and many rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Evaluation
from tests.evaluations.factories import institution, make_center
from tests.evaluations.helpers import World, pdf

pytestmark = [pytest.mark.django_db]

PAGES = [
    ("evaluations:detail", "get"),
    ("evaluations:score", "get"),
    ("evaluations:score", "post"),
    ("evaluations:hearing", "get"),
    ("evaluations:self_report", "get"),
    ("evaluations:rectification", "post"),
    ("evaluations:report_file", "get"),
]


@pytest.fixture
def world(frozen_clock):
    w = World()
    w.open()
    w.commission()
    w.self_report()
    w.credit()
    return w


def test_an_evaluator_of_another_institution_opens_nothing_of_it(client, world):
    _other, intruder = institution(name="乙评估机构")
    client.force_login(intruder)
    pk = world.evaluation.pk
    for name, method in PAGES:
        response = getattr(client, method)(reverse(name, args=[pk]), {"findings": "x"})
        assert response.status_code == 404, (name, method, response.status_code)
    assert (
        client.get(reverse("evaluations:assigned")).content.decode().count(world.center.name) == 0
    )
    listing = client.get(reverse("evaluations:list")).content.decode()
    assert world.center.name not in listing
    assert Evaluation.objects.get(pk=pk).findings == ""


def test_staff_of_another_center_and_the_assigned_evaluator(client, world):
    _center, stranger = make_center()
    client.force_login(stranger)
    assert client.get(reverse("evaluations:detail", args=[world.evaluation.pk])).status_code == 404
    client.force_login(world.evaluator)
    page = client.get(reverse("evaluations:score", args=[world.evaluation.pk]))
    assert page.status_code == 200 and "法人实体与治理结构" in page.content.decode()


def test_a_refused_score_keeps_what_was_typed(client, world):
    client.force_login(world.evaluator)
    url = reverse("evaluations:score", args=[world.evaluation.pk])
    first = next(r for r in world.evaluation.template.dimensions.first().indicators.all())
    response = client.post(
        url, {f"score_{first.pk}": "99", "findings": "材料基本齐全。", "submit": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "不能超过8.00分" in body and "材料基本齐全。" in body and 'value="99"' in body
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == "evaluating"


def _submit_scores(client, world, findings):
    """The evaluator scores every hand-scored indicator and submits (the score page's URL)."""
    client.force_login(world.evaluator)
    url = reverse("evaluations:score", args=[world.evaluation.pk])
    data = {"findings": findings, "submit": "1", "report": pdf()}
    for row in world.evaluation.template.dimensions.all():
        for ind in row.indicators.filter(rule="manual"):
            data[f"score_{ind.pk}"] = "5"
    assert client.post(url, data).status_code == 302
    return url


def _decide(client, world, requirements):
    """The officer decides as proposed; returns the decide page's URL and the data posted."""
    client.force_login(world.officer)
    decide = reverse("evaluations:decide", args=[world.evaluation.pk])
    grade = Evaluation.objects.get(pk=world.evaluation.pk).proposed_grade
    ok = {"grade": grade, "outcome": "retain" if grade != "fail" else "rectify"}
    ok.update(requirements=requirements, deadline="2027-11-01")
    assert client.post(decide, ok).status_code == 302
    return decide, ok


def test_submitting_twice_and_a_stale_decision_page(client, world):
    url = _submit_scores(client, world, "意见")
    again = client.post(url, {"findings": "改"}, follow=True).content.decode()
    assert "评分提交后即锁定" in again
    decide, ok = _decide(client, world, "整改")
    stale = client.post(decide, {**ok, "note": "我的意见"}).content.decode()
    assert "可能已被他人办理" in stale and "我的意见" in stale


def _list_queries(client, user):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("evaluations:list")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.query_count
def test_list_and_assigned_query_counts_do_not_grow_with_rows(client, frozen_clock):
    from evaluations.services import commissioning, scheduling
    from tests.factories import officer

    actor = officer()
    org, evaluator = institution()

    def add(n):
        ids = []
        for _ in range(n):
            center, _staff = make_center(staff=False)
            ids.append(scheduling.open_evaluation(actor=actor, center_id=center.pk).pk)
        commissioning.commission(
            actor=actor,
            evaluation_ids=ids,
            institution_id=org.pk,
            self_report_deadline=dt.date(2026, 12, 30),
            evaluation_deadline=dt.date(2027, 2, 1),
        )

    add(1)
    client.force_login(actor)
    one = _list_queries(client, actor)
    client.force_login(evaluator)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("evaluations:assigned"))
    assigned_one = len(ctx.captured_queries)
    add(12)
    client.force_login(actor)
    assert _list_queries(client, actor) == one
    client.force_login(evaluator)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("evaluations:assigned")).content.decode()
    assert len(ctx.captured_queries) == assigned_one
    assert body.count("评估测试") == 13


def test_public_results_show_only_decided_evaluations(client, world):
    world.score()
    assert (
        client.get(reverse("evaluations:results")).content.decode().count("年度绩效评估结果") == 0
    )
    from evaluations.services import decisions

    grade = world.refresh().proposed_grade
    decisions.decide(
        actor=world.officer,
        evaluation_id=world.evaluation.pk,
        outcome="rectify",
        grade=grade,
        requirements="整改",
        deadline=dt.date(2027, 11, 1),
    )
    page = client.get(reverse("evaluations:results_round", args=[2026])).content.decode()
    assert world.center.name in page and "限期整改" in page


def test_english_mode_shows_english_refusals_and_the_record_stays_chinese(client, world):
    """The form's and the services' refusals in English; the audit label the decision stores
    is the Chinese record whatever the language of the request."""
    import re

    from django.conf import settings

    from audit.models import AuditEvent

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.evaluator)
    url = reverse("evaluations:score", args=[world.evaluation.pk])
    first = world.evaluation.template.dimensions.first().indicators.first()
    body = client.post(url, {f"score_{first.pk}": "99", "submit": "1"}).content.decode()
    assert "cannot exceed 8.00 points" in body and "不能超过" not in body
    _submit_scores(client, world, "Complete.")
    decide, ok = _decide(client, world, "Rectify.")
    stale = client.post(decide, ok).content.decode()
    assert "someone may have dealt with it already" in stale and "可能已被他人办理" not in stale
    label = AuditEvent.objects.get(action__startswith="evaluations.decided_").data["label"]
    assert label.startswith("决定：") and not re.search("[A-Za-z]", label), label
