"""Change-request pages: the full path through the views, and every URL from the refused side."""

import pytest
from django.urls import reverse

from centers.models import Center, CenterName
from centers.models_changes import CenterChangeRequest
from tests.factories import OrganizationFactory, applicant, reviewer

from .change_factories import dept_user, filed, make_center, rename_data
from .factories import pdf_upload

NEW = "山西省碳基先进材料技术创新中心"


@pytest.fixture
def center(db):
    return make_center()


def test_the_whole_path_through_the_pages(client, center, officer):
    staff = center._test_staff
    client.force_login(staff)
    page = client.get(reverse("centers:center_changes", args=[center.pk]))
    assert page.status_code == 200 and "提出变更申请" in page.content.decode()
    data = {"kind": "rename", **rename_data(), "attachments": [pdf_upload("请示.pdf")]}
    response = client.post(reverse("centers:change_create", args=[center.pk]), data)
    request = CenterChangeRequest.objects.get()
    assert response.status_code == 302 and request.status == "draft"
    client.post(reverse("centers:change_submit", args=[request.pk]))
    # pressing twice does nothing twice
    again = client.post(reverse("centers:change_submit", args=[request.pk]), follow=True)
    assert "无需重复提交" in again.content.decode()
    request.refresh_from_db()
    assert request.status == "dept_review"

    client.force_login(dept_user(center))
    queue = client.get(reverse("centers:change_list"))
    assert center.name in queue.content.decode()
    detail = client.get(reverse("centers:change_detail", args=[request.pk]))
    assert NEW in detail.content.decode() and "审核结论" in detail.content.decode()
    client.post(
        reverse("centers:change_decide", args=[request.pk]),
        {"decision": "approve", "opinion": "同意。", "expected_status": "dept_review"},
    )
    request.refresh_from_db()
    assert request.status == "province_review"

    client.force_login(officer)
    queue = client.get(reverse("centers:change_list"))
    assert NEW in queue.content.decode()
    client.post(
        reverse("centers:change_decide", args=[request.pk]),
        {"decision": "approve", "opinion": "同意更名。", "expected_status": "province_review"},
    )
    center.refresh_from_db()
    assert center.name == NEW
    registry = client.get(reverse("centers:registry_detail", args=[center.number])).content.decode()
    assert NEW in registry and "山西省碳基新材料技术创新中心" in registry
    # the timeline of the request shows each step (read by the center's staff)
    client.force_login(staff)
    timeline = client.get(reverse("centers:change_detail", args=[request.pk])).content.decode()
    for step in ("提交变更申请", "组织管理部门审核同意", "省科技厅批准变更"):
        assert step in timeline


def test_bad_input_keeps_what_was_typed(client, center):
    client.force_login(center._test_staff)
    response = client.post(
        reverse("centers:change_create", args=[center.pk]),
        {
            "kind": "rename",
            "new_name": "碳基先进材料中心",
            "reasons": "领域拓展，需要更名以反映方向。",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "山西省××技术创新中心" in body and "领域拓展，需要更名以反映方向。" in body
    assert not CenterChangeRequest.objects.exists()


def test_stale_decision_is_told_and_changes_nothing(client, center):
    request = filed(center)
    first, second = dept_user(center), dept_user(center, username="second_reviewer")
    client.force_login(first)
    client.post(
        reverse("centers:change_decide", args=[request.pk]),
        {"decision": "approve", "opinion": "", "expected_status": "dept_review"},
    )
    client.force_login(second)
    response = client.post(
        reverse("centers:change_decide", args=[request.pk]),
        {"decision": "reject", "opinion": "不同意更名。", "expected_status": "dept_review"},
        follow=True,
    )
    assert "已由他人处理" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "province_review" and request.dept_opinion == ""


def _urls(center, request):
    file_pk = request.attachments.get().pk
    return [
        ("get", reverse("centers:center_changes", args=[center.pk])),
        ("get", reverse("centers:change_create", args=[center.pk])),
        ("post", reverse("centers:change_create", args=[center.pk])),
        ("get", reverse("centers:change_detail", args=[request.pk])),
        ("get", reverse("centers:change_edit", args=[request.pk])),
        ("post", reverse("centers:change_edit", args=[request.pk])),
        ("post", reverse("centers:change_submit", args=[request.pk])),
        ("post", reverse("centers:change_decide", args=[request.pk])),
        ("get", reverse("centers:change_attachment", args=[request.pk, file_pk])),
        ("post", reverse("centers:change_issue_document", args=[request.pk])),
    ]


@pytest.mark.parametrize("who", ["other_org", "other_city", "anonymous"])
def test_every_url_refuses_outsiders(client, center, who):
    request = filed(center, submit=False)
    if who == "other_org":
        client.force_login(applicant(OrganizationFactory()))
    elif who == "other_city":
        client.force_login(reviewer("大同市"))
    post = {
        "kind": "rename",
        **rename_data(new_name="山西省外人技术创新中心"),
        "decision": "approve",
    }
    for method, url in _urls(center, request):
        response = getattr(client, method)(url, post if method == "post" else None)
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        else:
            assert response.status_code in (403, 404), url
    request.refresh_from_db()
    assert request.status == "draft" and request.new_name == NEW
    assert CenterChangeRequest.objects.count() == 1
    assert Center.objects.get(pk=center.pk).name == "山西省碳基新材料技术创新中心"


def test_department_does_not_see_drafts_and_staff_cannot_decide(client, center):
    request = filed(center, submit=False)
    client.force_login(dept_user(center))
    assert client.get(reverse("centers:change_detail", args=[request.pk])).status_code == 404
    changed = filed(make_center(name="氢能"), submit=True)
    client.force_login(center._test_staff)
    assert client.get(reverse("centers:change_detail", args=[changed.pk])).status_code == 404
    own = CenterChangeRequest.objects.get(pk=request.pk)
    from centers.services import changes

    changes.change_request_submit(actor=center._test_staff, request_id=own.pk)
    response = client.post(
        reverse("centers:change_decide", args=[own.pk]),
        {"decision": "approve", "expected_status": "dept_review"},
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == "dept_review"


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _waiting_rename(n):
    center = make_center(name=f"测试领域{n}号")
    filed(center, data=rename_data(new_name=f"山西省测试新领域{n}号技术创新中心"))
    CenterChangeRequest.objects.filter(center=center).update(status="province_review")


@pytest.mark.query_count
def test_list_queries_are_the_same_at_one_and_many_rows(client, officer):
    _waiting_rename(0)
    client.force_login(officer)
    one, body = _queries(client, reverse("centers:change_list"))
    assert body.count("测试新领域") == 1
    for n in range(1, 7):
        _waiting_rename(n)
    many, body = _queries(client, reverse("centers:change_list"))
    assert body.count("测试新领域") == 7
    assert many == one


@pytest.mark.query_count
def test_center_page_and_registry_queries_do_not_grow(client, center, officer):
    import datetime as dt

    def former(n):
        CenterName.objects.filter(center=center, valid_to__isnull=True).update(
            valid_to=dt.date(2026, 5, n)
        )
        CenterName.objects.create(center=center, name=f"新名{n}", valid_from=dt.date(2026, 5, n))

    former(1)
    client.force_login(officer)
    page = reverse("centers:center_changes", args=[center.pk])
    one = [_queries(client, page)[0], _queries(client, reverse("centers:registry"))[0]]
    for n in range(2, 8):
        former(n)
        filed_request = filed(
            center,
            kind="other",
            data={"reasons": "其他重大事项需要报告说明。", "description": f"事项{n}"},
        )
        CenterChangeRequest.objects.filter(pk=filed_request.pk).update(status="rejected")
    many = [_queries(client, page)[0], _queries(client, reverse("centers:registry"))[0]]
    assert many == one


def test_my_tasks_lists_the_request_at_the_desk_that_must_act(client, center, officer):
    request = filed(center)
    reviewer = dept_user(center)
    client.force_login(reviewer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("centers:change_detail", args=[request.pk]) in home
    client.force_login(officer)
    assert (
        reverse("centers:change_detail", args=[request.pk])
        not in client.get(reverse("home")).content.decode()
    )
    from centers.services import changes

    changes.change_request_decide(actor=reviewer, request_id=request.pk, decision="approve")
    assert (
        reverse("centers:change_detail", args=[request.pk])
        in client.get(reverse("home")).content.decode()
    )
    client.force_login(reviewer)
    assert (
        reverse("centers:change_detail", args=[request.pk])
        not in client.get(reverse("home")).content.decode()
    )


def test_exports_show_the_former_name_with_its_dates(client, center, officer):
    import csv
    import io
    import json

    request = filed(center)
    from centers.services import changes

    changes.change_request_decide(
        actor=dept_user(center), request_id=request.pk, decision="approve"
    )
    changes.change_request_decide(actor=officer, request_id=request.pk, decision="approve")
    center.refresh_from_db()
    former = CenterName.objects.get(center=center, valid_to__isnull=False)
    body = client.get(reverse("centers:registry_csv")).getvalue().decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(body, newline="")))
    assert row["中心名称"] == NEW and row["曾用名"] == "山西省碳基新材料技术创新中心"
    assert row["曾用名使用期间"] == f"2026-03-05至{former.valid_to.isoformat()}"
    data = json.loads(client.get(reverse("centers:registry_json")).getvalue())
    [item] = data["centers"]
    assert item["name"] == NEW
    assert item["former_names_dated"] == [
        {
            "name": "山西省碳基新材料技术创新中心",
            "valid_from": "2026-03-05",
            "valid_to": former.valid_to.isoformat(),
        }
    ]


def test_pressing_approve_twice_decides_once_and_says_so(client, center):
    request = filed(center)
    client.force_login(dept_user(center))
    url = reverse("centers:change_decide", args=[request.pk])
    post = {"decision": "approve", "opinion": "同意。", "expected_status": "dept_review"}
    client.post(url, post)
    again = client.post(url, post, follow=True).content.decode()
    assert "您已办理过该申请" in again and "无需重复提交" in again
    from audit.selectors import events_for

    assert events_for(target=request).filter(action="centers.change.dept_approve").count() == 1
