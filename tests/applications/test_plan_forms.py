"""Plan sections as web forms: drafts, type/format errors in Chinese, rows, targets, progress."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.testing import make_complete_plan
from centers.models import IndustryField

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org, user):
    from applications.services import application_create
    from tests.factories import bureau

    return application_create(
        actor=user,
        name="煤机智能",
        kind="domain",
        industry_field=IndustryField.objects.get(code="F06"),
        department=bureau("太原市"),
    )


def section_url(app, code):
    return reverse("applications:section", args=[app.pk, code])


def test_create_plan_defaults_to_the_bureau_of_the_city(client, user):
    client.force_login(user)
    page = client.get(reverse("applications:create"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["department"] == user.organization.registered_city.department_set.get().pk
    response = client.post(
        reverse("applications:create"),
        {
            "name": "山西省半导体材料技术创新中心",
            "kind": "domain",
            "industry_field": IndustryField.objects.get(code="F01").pk,
            "department": form.initial["department"],
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302
    assert app.name == "半导体材料"  # the ×× part only
    assert app.full_name == "山西省半导体材料技术创新中心"
    assert app.status == "draft"
    assert [r["key"] for r in app.plan["targets"]["items"]][:6] == [
        "rd_spending_wan", "staff", "patents", "standards", "incubated_enterprises", "service_income_wan",
    ]  # fmt: skip


def test_incomplete_draft_saves(client, user, draft):
    client.force_login(user)
    response = client.post(
        section_url(draft, "director"),
        {"f-name": "张三", "f-title": "", "f-title_level": "", "save": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.plan["director"]["name"] == "张三"
    assert draft.plan["director"]["title_level"] == ""


def test_wrong_number_keeps_input_and_says_why_in_chinese(client, user, draft):
    client.force_login(user)
    response = client.post(
        section_url(draft, "facilities"),
        {
            "f-area_m2": "一千二",
            "f-equipment_value_wan": "-5",
            "f-major_instruments": "扫描电镜",
            "f-venues": "研发楼",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "一千二" in html and "扫描电镜" in html
    assert "输入一个数字。" in html
    assert "确保该值大于或等于0。" in html
    draft.refresh_from_db()
    assert "facilities" not in draft.plan  # nothing half-saved


def _formset_data(prefix, rows, extra=None):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"{prefix}-{i}-{k}"] = v
    data.update(extra or {})
    return data


def test_invalid_cobuilder_credit_code_keeps_row(client, user, draft):
    client.force_login(user)
    data = _formset_data(
        "items",
        [
            {
                "name": "某共建大学",
                "credit_code": "12345",
                "org_type": "university",
                "mode": "membership",
                "contribution": "联合研发",
            }
        ],
    )
    response = client.post(section_url(draft, "cobuilders"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "某共建大学" in html and "12345" in html
    assert "统一社会信用代码应为18位，当前为5位。" in html


def test_add_row_saves_and_offers_a_blank_row(client, user, draft):
    client.force_login(user)
    data = _formset_data(
        "key_members",
        [{"name": "李四", "title": "教授", "role": "技术负责人"}],
        {"f-size": "10", "f-composition": "", "add_row": "key_members"},
    )
    response = client.post(section_url(draft, "team"), data)
    assert response.status_code == 302 and response["Location"].endswith("?add=key_members")
    draft.refresh_from_db()
    assert draft.plan["team"]["key_members"] == [
        {"name": "李四", "title": "教授", "role": "技术负责人"}
    ]
    page = client.get(response["Location"])
    formset = page.context["bundle"].formsets[0]
    assert len(formset.forms) == 2


def test_delete_a_row(client, user, draft):
    client.force_login(user)
    data = _formset_data(
        "key_members",
        [
            {"name": "甲", "title": "教授", "role": "a"},
            {"name": "乙", "title": "教授", "role": "b", "DELETE": "on"},
        ],
        {"f-size": "2"},
    )
    client.post(section_url(draft, "team"), data)
    draft.refresh_from_db()
    assert [m["name"] for m in draft.plan["team"]["key_members"]] == ["甲"]


def test_targets_prefilled_standard_rows_and_custom_row(client, user, draft):
    client.force_login(user)
    page = client.get(section_url(draft, "targets"))
    html = page.content.decode()
    for label in ("研发投入", "人员", "专利", "标准", "孵化企业", "技术服务收入"):
        assert label in html
    rows = [
        {"key": key, "label": "篡改", "unit": "x", "baseline": "1", "target": "2"}
        for key in [
            "rd_spending_wan",
            "staff",
            "patents",
            "standards",
            "incubated_enterprises",
            "service_income_wan",
        ]
    ]
    rows.append(
        {"key": "", "label": "技术合同成交额", "unit": "万元", "baseline": "100", "target": "900"}
    )
    client.post(section_url(draft, "targets"), _formset_data("items", rows))
    draft.refresh_from_db()
    items = draft.plan["targets"]["items"]
    assert items[0] == {
        "key": "rd_spending_wan",
        "label": "研发投入",
        "unit": "万元",
        "baseline": 1,
        "target": 2,
    }
    assert items[6] == {
        "key": "custom_1",
        "label": "技术合同成交额",
        "unit": "万元",
        "baseline": 100,
        "target": 900,
    }


def test_progress_shows_each_section(client, user, draft):
    client.force_login(user)
    page = client.get(reverse("applications:detail", args=[draft.pk]))
    progress = {p["section"].code: p["complete"] for p in page.context["progress"]}
    assert progress["basics"] is True
    assert progress["director"] is False
    assert progress["cobuilders"] is True  # optional (Art. 12 "可以")
    html = page.content.decode()
    assert section_url(draft, "director") in html


def test_progress_all_complete_for_a_complete_plan(client, org, user):
    app = make_complete_plan(org, user)
    client.force_login(user)
    page = client.get(reverse("applications:detail", args=[app.pk]))
    assert all(p["complete"] for p in page.context["progress"]), page.context["progress"]


def test_no_editing_after_submit(client, user, plan):
    from applications.services import application_submit

    application_submit(actor=user, application_id=plan.pk)
    client.force_login(user)
    response = client.post(section_url(plan, "director"), {"f-name": "改名"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.plan["director"]["name"] == "张建国"


def test_submit_view_lists_every_problem_with_links(client, user, plan):
    director = dict(plan.plan["director"], title_level="other")
    facilities = dict(plan.plan["facilities"], area_m2=10)
    from applications.services import application_save_section

    application_save_section(actor=user, application_id=plan.pk, section="director", data=director)
    application_save_section(
        actor=user, application_id=plan.pk, section="facilities", data=facilities
    )
    client.force_login(user)
    response = client.post(
        reverse("applications:submit", args=[plan.pk]), {"expected_status": "draft"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "中心主任应具有正高级专业技术职称。" in html
    assert "使用面积应不少于1000平方米" in html
    assert section_url(plan, "director") in html and section_url(plan, "facilities") in html
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.plan["facilities"]["area_m2"] == 10


def test_submit_view_submits(client, user, plan):
    client.force_login(user)
    response = client.post(
        reverse("applications:submit", args=[plan.pk]), {"expected_status": "draft"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "dept_review"
    page = client.get(reverse("applications:detail", args=[plan.pk]))
    assert "等待太原市科学技术局审核" in page.content.decode()


@pytest.mark.parametrize(
    "kind,org_type", [("domain", "enterprise"), ("comprehensive", "university")]
)
def test_every_section_page_shows_what_was_saved(client, kind, org_type):
    from applications import sections
    from tests.factories import OrganizationFactory, applicant

    org = OrganizationFactory(org_type=org_type)
    user = applicant(org)
    app = make_complete_plan(org, user, name="展示", kind=kind)
    client.force_login(user)
    for s in sections.SECTIONS:
        page = client.get(section_url(app, s.code))
        assert page.status_code == 200, s.code
        assert str(s.title) in page.content.decode()
    html = client.get(section_url(app, "lead")).content.decode()
    assert ("先进材料研究所" in html) == (kind == "comprehensive")
    # resaving an untouched section changes nothing
    before = app.plan["team"]
    page = client.get(section_url(app, "team"))
    data = {}
    for form in page.context["bundle"]:
        if hasattr(form, "management_form"):
            for f in [form.management_form, *form.forms]:
                for bf in f:
                    if bf.value() not in (None, False):
                        data[bf.html_name] = bf.value()
        else:
            for bf in form:
                if bf.value() is not None:
                    data[bf.html_name] = bf.value()
    assert client.post(section_url(app, "team"), data).status_code == 302
    app.refresh_from_db()
    assert app.plan["team"] == before


def test_home_page_card_for_applicant(client, user, plan):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "请完善并提交建设方案" in html or "Please complete and submit" in html
