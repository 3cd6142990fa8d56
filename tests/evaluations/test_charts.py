"""The evaluations' charts on the officers' dashboard (accounts/dashboard.py): grades and
outcomes decided, evaluations per step, overdue self-reports and rectifications; a city
bureau sees only its own department's; the query count does not grow with evaluations."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Evaluation, Rectification
from evaluations.models_indicators import IndicatorTemplate
from tests.evaluations.factories import make_center
from tests.factories import bureau, officer, reviewer

pytestmark = pytest.mark.django_db


def _evaluation(center, *, status, grade="", outcome="", deadline=None):
    return Evaluation.objects.create(
        center=center,
        cycle=1,
        period_start=dt.date(2023, 12, 1),
        due_on=dt.date(2026, 12, 1),
        years=[2023, 2024, 2025],
        template=IndicatorTemplate.objects.order_by("pk").first(),
        status=status,
        grade=grade,
        outcome=outcome,
        self_report_deadline=deadline,
    )


def _charts(client) -> dict:
    html = client.get(reverse("dashboard")).content.decode()
    raw = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S
    )
    return {c["key"]: {r[0]: r[1] for r in c["rows"]} for c in json.loads(raw.group(1))}


@pytest.fixture
def world(frozen_clock):
    taiyuan = [make_center(staff=False)[0] for _ in range(3)]
    datong, _ = make_center(staff=False)
    datong.department = bureau("大同市")
    datong.save(update_fields=["department"])
    _evaluation(taiyuan[0], status="decided", grade="excellent", outcome="retain")
    failed = _evaluation(taiyuan[1], status="decided", grade="fail", outcome="rectify")
    Rectification.objects.create(
        evaluation=failed, requirements="补齐研发投入", deadline=dt.date(2026, 10, 1)
    )
    _evaluation(taiyuan[2], status="commissioned", deadline=dt.date(2026, 11, 1))
    _evaluation(datong, status="decided", grade="good", outcome="retain")


def test_officer_sees_the_provinces_grades_outcomes_steps_and_overdue_rows(client, world):
    client.force_login(officer())
    charts = _charts(client)
    assert charts["evaluation-grades"] == {"优秀": 1, "良好": 1, "合格": 0, "不合格": 1}
    assert charts["evaluation-outcomes"] == {"保留": 2, "整改": 1, "撤销": 0}
    assert charts["evaluation-steps"]["已决定"] == 3
    assert charts["evaluation-steps"]["已委托，待中心自评"] == 1
    assert charts["overdue"]["绩效评估自评报告逾期未交"] == 1
    assert charts["overdue"]["整改报告逾期未交"] == 1


def test_a_city_bureau_sees_only_its_own_departments_evaluations(client, world):
    client.force_login(reviewer("大同市"))
    charts = _charts(client)
    assert charts["evaluation-grades"] == {"优秀": 0, "良好": 1, "合格": 0, "不合格": 0}
    assert charts["overdue"]["绩效评估自评报告逾期未交"] == 0
    assert charts["overdue"]["整改报告逾期未交"] == 0
    response = client.get(reverse("dashboard_csv", args=["evaluation-grades"]))
    assert "良好,1" in response.content.decode("utf-8-sig").replace("\r", "")


def test_english_mode_names_the_grades_in_english(client, world):
    client.force_login(officer())
    client.cookies["django_language"] = "en"
    assert _charts(client)["evaluation-grades"]["Excellent"] == 1


@pytest.mark.query_count
def test_query_count_does_not_grow_with_the_number_of_evaluations(client, frozen_clock):
    client.force_login(officer())
    counts = []
    for n in (1, 8):
        for _ in range(n):
            _evaluation(
                make_center(staff=False)[0], status="decided", grade="pass", outcome="retain"
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
