"""The dashboard in a real Chromium: the charts are drawn (ECharts under the strict CSP) and
the numbers each chart draws equal its table and its CSV (screenshot in var/screenshots/)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from applications.models import Status
from tests.accounts.test_dashboard import _centers, _plans
from tests.factories import bureau, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_charts_draw_the_numbers_of_their_tables_and_csv(page, live_server, login):
    ty, dt_ = bureau("太原市"), bureau("大同市")
    ty_plans = _plans(4, department=ty, prefix="太原")
    _plans(2, department=dt_, status=Status.PUBLICITY, prefix="大同")
    _centers(ty_plans[:3], city=ty.city)
    officer(username="officer_dash")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server, "officer_dash")
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_selector('[data-chart="plans-by-state"][data-drawn]')
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard-officer.png"), full_page=True)
    assert not errors, errors  # no CSP refusal, no script error
    for key in ("plans-by-state", "centers-by-city", "per-month"):
        drawn = page.evaluate(
            """key => {
                const chart = echarts.getInstanceByDom(document.querySelector(`[data-chart="${key}"]`));
                const option = chart.getOption();
                const labels = option.xAxis[0].data;
                return labels.map((label, i) => [label, ...option.series.map(s => s.data[i])]);
            }""",
            key,
        )
        table = page.eval_on_selector_all(
            f'[data-table="{key}"] tbody tr',
            "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))",
        )
        text = page.request.get(f"{live_server.url}/dashboard/{key}.csv").text()
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
        as_text = [[str(v) for v in row] for row in drawn]
        assert as_text == table == rows, key
    by_state = dict(
        page.evaluate(
            """() => {
                const o = echarts.getInstanceByDom(document.querySelector('[data-chart="plans-by-state"]')).getOption();
                return o.xAxis[0].data.map((l, i) => [l, o.series[0].data[i]]);
            }"""
        )
    )
    assert by_state["组织管理部门审核"] == 4 and by_state["公示"] == 2
