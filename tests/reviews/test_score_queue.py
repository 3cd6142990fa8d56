"""The expert's desk: the scoring queue across panels and the score form beside the plan."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Criterion, PanelMember
from tests.factories import OrganizationFactory
from tests.texts import zh

from .factories import accept_all, form_panel, plan_in_expert_review, pool

DONE = 'aria-live="polite">' + zh("Every criterion is scored.")


def panels_for_one_expert(officer_user, n):
    """``n`` open panels on which the same five experts sit (the pool has exactly five)."""
    pool(technical=3, management=1, financial=1)
    panels = []
    for i in range(n):
        org = OrganizationFactory(name=f"太原队列测试单位{i}有限公司")
        app = plan_in_expert_review(org=org, name=f"队列材料{i}")
        panel = form_panel(app, officer_user, deadline_days=10 + i)
        accept_all(panel)
        panels.append(panel)
    return panels


def seat(panel, user):
    return PanelMember.objects.get(panel=panel, expert__user=user)


def page(client, member):
    return client.get(reverse("reviews:member_score", args=[member.pk])).content.decode()


def test_save_and_score_next_walks_the_queue_and_counts_progress(officer_user):
    panels = panels_for_one_expert(officer_user, 3)
    user = panels[0].members.first().expert.user
    seats = [seat(p, user) for p in panels]
    criteria = list(Criterion.objects.filter(template=panels[0].template))
    client = Client()
    client.force_login(user)

    first = page(client, seats[0])
    assert zh("Scored %(done)s / %(total)s", done=0, total=3) in first
    assert zh("Save and score the next") in first
    assert zh("Not scored yet: ") + "、".join(c.name for c in criteria) in first

    # 保存并评下一个: the draft is kept, the next plan by deadline opens
    data = {f"c{criteria[0].pk}": "18", "action": "next", "opinion": "草稿意见"}
    response = client.post(reverse("reviews:member_score", args=[seats[0].pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:member_score", args=[seats[1].pk])
    draft = PanelMember.objects.get(pk=seats[0].pk).sheet
    assert not draft.is_submitted and draft.opinion == "草稿意见"
    again = page(client, seats[0])
    assert "data-score-total" in again and ">18</strong>" in again
    assert criteria[0].name not in again.split(zh("Not scored yet: "))[1].split("<")[0]

    full = {f"c{c.pk}": str(c.max_points) for c in criteria}
    submit = {**full, "opinion": "同意。", "recommendation": "pass", "action": "submit"}
    assert (
        client.post(reverse("reviews:member_score", args=[seats[1].pk]), submit).status_code == 302
    )
    third = page(client, seats[2])
    assert zh("Scored %(done)s / %(total)s", done=1, total=3) in third and DONE not in third

    # from the last one, the queue wraps round to the draft that is still waiting
    nxt = client.post(
        reverse("reviews:member_score", args=[seats[2].pk]), {**full, "action": "next"}
    )
    assert nxt["Location"] == reverse("reviews:member_score", args=[seats[0].pk])
    assert DONE in page(client, seats[2])

    assert (
        client.post(reverse("reviews:member_score", args=[seats[0].pk]), submit).status_code == 302
    )
    assert (
        client.post(reverse("reviews:member_score", args=[seats[2].pk]), submit).status_code == 302
    )
    assert zh("Scored %(done)s / %(total)s", done=3, total=3) in page(client, seats[2])


def test_no_next_button_when_nothing_else_waits(officer_user):
    (panel,) = panels_for_one_expert(officer_user, 1)
    member = panel.members.first()
    client = Client()
    client.force_login(member.expert.user)
    html = page(client, member)
    assert zh("Scored %(done)s / %(total)s", done=0, total=1) in html
    assert zh("Save and score the next") not in html
    response = client.post(
        reverse("reviews:member_score", args=[member.pk]), {"action": "next"}, follow=True
    )
    assert "您没有其他待评分的建设方案了" in response.content.decode()


def test_score_form_shows_the_plan_version_and_loads_its_script(officer_user):
    (panel,) = panels_for_one_expert(officer_user, 1)
    member = panel.members.first()
    client = Client()
    client.force_login(member.expert.user)
    html = page(client, member)
    assert 'class="score-plan"' in html and "牵头单位" in html
    assert f"/versions/{panel.version_number}/book.pdf" in html
    assert 'src="/static/reviews/score.js"' in html and "<script>" not in html
    assert 'data-criterion="' in html


@pytest.mark.parametrize("n", [1, 3])
def test_score_page_queries_do_not_grow_with_the_queue(officer_user, n, request):
    panels = panels_for_one_expert(officer_user, n)
    user = panels[0].members.first().expert.user
    client = Client()
    client.force_login(user)
    member = seat(panels[0], user)
    page(client, member)
    with CaptureQueriesContext(connection) as queries:
        page(client, member)
    request.config.cache_counts = getattr(request.config, "cache_counts", {})
    request.config.cache_counts[n] = len(queries)
    assert len(queries) <= 40
    if 1 in request.config.cache_counts and 3 in request.config.cache_counts:
        assert request.config.cache_counts[1] == request.config.cache_counts[3]


def test_another_experts_seat_is_refused(officer_user):
    (panel,) = panels_for_one_expert(officer_user, 1)
    mine, theirs = list(panel.members.all()[:2])
    client = Client()
    client.force_login(mine.expert.user)
    assert client.get(reverse("reviews:member_score", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("reviews:member_score", args=[theirs.pk]), {"action": "next"})
    assert response.status_code == 404
    assert not hasattr(PanelMember.objects.get(pk=theirs.pk), "sheet") or not (
        PanelMember.objects.get(pk=theirs.pk).sheet.scores.exists()
    )
