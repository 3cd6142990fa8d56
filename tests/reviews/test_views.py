"""Pages of the expert review, tried from the refused side as well."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Criterion, Panel, PanelMember
from reviews.services import members as members_services
from reviews.services import scoring
from tests.factories import OrganizationFactory, applicant, reviewer

from .factories import (
    accept_all,
    expert,
    form_panel,
    plan_in_expert_review,
    pool,
    score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(app, officer_user, experts):
    return form_panel(app, officer_user)


def test_officer_forms_a_panel_through_the_page(client, app, officer_user, experts):
    client.force_login(officer_user)
    page = client.get(reverse("reviews:panel_inbox"))
    assert "山西省半导体材料技术创新中心" in page.content.decode()
    url = reverse("reviews:panel_new", args=[app.pk])
    bad = client.post(
        url,
        {
            "size": 4,
            "n_technical": 2,
            "n_management": 1,
            "n_financial": 1,
            "template": Panel._meta.get_field("template")
            .related_model.objects.get(is_default=True)
            .pk,
            "score_deadline": "2099-01-01",
            "deviation_margin": "15",
            "avoid_request": "某某",
        },
    )
    html = bad.content.decode()
    assert (
        "专家组人数应为奇数。" in html and 'value="某某"' not in html and "某某" in html
    )  # kept in the textarea
    assert not Panel.objects.exists()
    good = client.post(
        url,
        {
            "size": 5,
            "n_technical": 3,
            "n_management": 1,
            "n_financial": 1,
            "template": Panel._meta.get_field("template")
            .related_model.objects.get(is_default=True)
            .pk,
            "score_deadline": "2099-01-01",
            "deviation_margin": "15",
        },
    )
    panel = Panel.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse(
        "reviews:panel_detail", args=[panel.pk]
    )
    detail = client.get(good["Location"]).content.decode()
    assert detail.count("replace-form") == 5
    draw = client.get(
        reverse("reviews:panel_draw", args=[panel.pk, panel.draws.get().pk])
    ).content.decode()
    assert "draw-reproduced" in draw and "42" not in draw.split("draw-seed")[0][-5:]


def test_pool_too_small_page_says_why(client, app, officer_user):
    pool(technical=1, management=1, financial=1)
    client.force_login(officer_user)
    response = client.post(
        reverse("reviews:panel_new", args=[app.pk]),
        {
            "size": 5,
            "n_technical": 3,
            "n_management": 1,
            "n_financial": 1,
            "template": Panel._meta.get_field("template")
            .related_model.objects.get(is_default=True)
            .pk,
            "score_deadline": "2099-01-01",
            "deviation_margin": "15",
        },
    )
    assert (
        "技术专家不足：需要 3 名，排除利益冲突后符合条件的只有 1 名。" in response.content.decode()
    )


def test_officer_pages_refuse_others(client, panel, app):
    urls = [
        reverse("reviews:panel_inbox"),
        reverse("reviews:expert_list"),
        reverse("reviews:expert_import"),
        reverse("reviews:panel_new", args=[app.pk]),
        reverse("reviews:panel_detail", args=[panel.pk]),
        reverse("reviews:panel_result", args=[panel.pk]),
        reverse("reviews:panel_draw", args=[panel.pk, panel.draws.get().pk]),
    ]
    someone_expert = panel.members.first().expert.user
    for user in [applicant(app.organization), reviewer(), someone_expert]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("reviews:opinion_pdf", args=[panel.pk])).status_code == 302


def test_expert_sees_only_own_seats_and_only_accepted_plans(client, officer_user, panel, app):
    mine = panel.members.select_related("expert__user").first()
    # the other panel is drawn without this expert
    type(mine.expert).objects.filter(pk=mine.expert_id).update(is_active=False)
    other_app = plan_in_expert_review(
        org=OrganizationFactory(name="大同另一家公司"), name="煤机智能制造"
    )
    pool(technical=3, management=1, financial=1)
    other_panel = form_panel(other_app, officer_user, seed=7)
    user = mine.expert.user
    client.force_login(user)
    # before accepting: no plan
    assert client.get(reverse("reviews:member_plan", args=[mine.pk])).status_code == 404
    members_services.member_respond(actor=user, member_id=mine.pk, accept=True)
    plan_page = client.get(reverse("reviews:member_plan", args=[mine.pk]))
    assert plan_page.status_code == 200
    assert "山西示范大学" in plan_page.content.decode()  # a co-builder from the frozen version
    # other panels' seats, plans and PDFs are invisible
    for seat in other_panel.members.all():
        for name in ["member_detail", "member_plan", "member_score", "member_peers"]:
            response = client.get(reverse(f"reviews:{name}", args=[seat.pk]))
            assert response.status_code == 404, (
                seat.expert_id,
                mine.expert_id,
                seat.panel_id,
                name,
            )
    assert client.get(reverse("reviews:opinion_pdf", args=[other_panel.pk])).status_code == 404
    my_list = client.get(reverse("reviews:my_panels")).content.decode()
    assert "煤机智能制造" not in my_list and "半导体材料" in my_list
    # the applications' own pages refuse the other plan as well
    from applications.selectors import applications_visible_to

    assert list(applications_visible_to(user=user)) == [app]


def test_score_form_says_why_and_keeps_the_input(client, panel):
    member, other, *_ = accept_all(panel)
    criteria = list(Criterion.objects.filter(template=panel.template))
    client.force_login(member.expert.user)
    url = reverse("reviews:member_score", args=[member.pk])
    data = {f"c{c.pk}": "10" for c in criteria}
    data[f"c{criteria[0].pk}"] = "25"
    data.update(
        {"opinion": "方案可行，需补充细节。", "recommendation": "improve", "action": "submit"}
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    assert f"「{criteria[0].name}」的得分不能超过该项满分 20 分。" in html, html[
        html.find("<main") :
    ][:3000]
    assert 'value="25"' in html and "方案可行，需补充细节。" in html
    assert (
        not hasattr(PanelMember.objects.get(pk=member.pk), "sheet")
        or not PanelMember.objects.get(pk=member.pk).sheet.is_submitted
    )

    # other experts' scores are hidden before submitting
    scoring.score_save(
        actor=other.expert.user,
        member_id=other.pk,
        scores={c.pk: c.max_points for c in criteria},
        opinion="其他专家的秘密意见",
        recommendation="pass",
        submit=True,
    )
    assert client.get(reverse("reviews:member_peers", args=[member.pk])).status_code == 403
    assert "其他专家的秘密意见" not in client.get(url).content.decode()
    assert (
        "其他专家的秘密意见"
        not in client.get(reverse("reviews:member_detail", args=[member.pk])).content.decode()
    )

    data[f"c{criteria[0].pk}"] = "18"
    response = client.post(url, data)
    assert response.status_code == 302
    assert PanelMember.objects.get(pk=member.pk).sheet.is_submitted
    peers = client.get(reverse("reviews:member_peers", args=[member.pk])).content.decode()
    assert "其他专家的秘密意见" in peers
    # submitted scores are locked
    data[f"c{criteria[0].pk}"] = "5"
    locked = client.post(url, data).content.decode()
    assert "评分已提交，不能再修改。" in locked
    assert (
        PanelMember.objects.get(pk=member.pk).sheet.scores.get(criterion=criteria[0]).points == 18
    )


def test_panel_result_page_query_count_is_flat(
    client, officer_user, settings, django_assert_max_num_queries
):
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    pool(technical=7, management=1, financial=1)
    small = form_panel(plan_in_expert_review(name="甲"), officer_user, size=3, counts=(1, 1, 1))
    big = form_panel(
        plan_in_expert_review(org=OrganizationFactory(), name="乙"),
        officer_user,
        size=9,
        counts=(7, 1, 1),
        seed=3,
    )
    for p in (small, big):
        accept_all(p)
        score_all(p)
    client.force_login(officer_user)

    def count(p):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reviews:panel_result", args=[p.pk]))
        assert response.status_code == 200
        assert response.content.decode().count("<tr class=") == p.size
        return len(ctx.captured_queries)

    count(small)  # warm caches (content types, sessions)
    assert count(small) == count(big)


def test_chair_conclusion_and_applicant_improvement_pages(client, officer_user, panel, app):
    members = accept_all(panel)
    client.force_login(officer_user)
    client.post(reverse("reviews:panel_chair", args=[panel.pk]), {"member": members[0].pk})
    score_all(panel)
    chair = PanelMember.objects.get(pk=members[0].pk)
    client.force_login(chair.expert.user)
    url = reverse("reviews:member_opinion", args=[chair.pk])
    html = client.post(url, {"summary": "", "points": "", "action": "sign"}).content.decode()
    assert "请填写专家组综合意见。" in html and "请至少列出一条修改完善意见。" in html
    client.post(
        url, {"summary": "同意通过。", "points": "补充投入计划。\n细化目标。", "action": "sign"}
    )
    # a member who is not the chair cannot write it
    client.force_login(members[1].expert.user)
    assert client.get(reverse("reviews:member_opinion", args=[members[1].pk])).status_code == 403

    client.force_login(officer_user)
    client.post(reverse("reviews:panel_conclude", args=[panel.pk]), {"outcome": "pass"})
    app.refresh_from_db()
    assert app.status == "improving"

    owner = app.created_by
    client.force_login(owner)
    improve_url = reverse("reviews:improve", args=[app.pk])
    page = client.get(improve_url).content.decode()
    assert "补充投入计划。" in page and "细化目标。" in page
    points = list(Panel.objects.get().points.all())
    html = client.post(
        improve_url, {f"p{points[0].pk}": "已补充。", f"p{points[1].pk}": "", "action": "submit"}
    ).content.decode()
    assert "请回应专家组意见第 2 条。" in html and "已补充。" in html
    client.post(
        improve_url,
        {f"p{points[0].pk}": "已补充。", f"p{points[1].pk}": "已细化。", "action": "submit"},
    )
    app.refresh_from_db()
    assert app.status == "awaiting_meeting"
    page = client.get(improve_url).content.decode()
    assert f"/applications/{app.pk}/compare/?a=1&amp;b=2" in page

    # other organizations cannot open it
    client.force_login(applicant(OrganizationFactory()))
    assert client.get(improve_url).status_code == 404
    # the applicant now may read the PDF
    client.force_login(owner)
    pdf = client.get(reverse("reviews:opinion_pdf", args=[panel.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_expert_pool_pages(client, officer_user):
    client.force_login(officer_user)
    url = reverse("reviews:expert_new")
    html = client.post(
        url,
        {
            "username": "new_expert",
            "full_name": "钱学",
            "kind": "financial",
            "employer_name": "某会计师事务所",
            "employer_credit_code": "123",
            "is_active": "on",
        },
    ).content.decode()
    assert "某会计师事务所" in html and "is-invalid" in html
    response = client.post(
        url,
        {
            "username": "new_expert",
            "full_name": "钱学",
            "kind": "financial",
            "employer_name": "某会计师事务所",
            "is_active": "on",
            "avoid": "某公司",
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("reviews:expert_list") + "?q=钱").content.decode()
    assert "钱学" in listing


def test_list_queries_do_not_grow(client, officer_user):
    client.force_login(officer_user)
    expert()
    client.get(reverse("reviews:expert_list"))  # the field filter's options cached from now on
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reviews:expert_list"))
    pool(technical=6, management=4, financial=4)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reviews:expert_list"))
    assert len(one.captured_queries) == len(many.captured_queries)


def test_home_cards_tell_experts_and_officers_what_waits(client, panel, officer_user):
    member = panel.members.select_related("expert__user").first()
    client.force_login(member.expert.user)
    page = client.get("/").content.decode()
    assert "有 1 个论证邀请等待您答复。" in page and "/reviews/my/" in page
    client.force_login(officer_user)
    page = client.get("/").content.decode()
    assert "/reviews/panels/" in page


def test_refused_chair_and_replacement_show_the_page_with_the_error_summary(
    client, officer_user, panel
):
    """A refused form of the panel page is the page again (400): the error summary links to
    the field, which is marked invalid; nothing changed."""
    member = panel.members.order_by("pk").first()
    seats = panel.members.count()
    client.force_login(officer_user)
    response = client.post(reverse("reviews:panel_chair", args=[panel.pk]), {"member": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="alert alert-danger error-summary"' in html
    assert "请选择专家组现有成员作为组长。" in html and 'href="#id_member"' in html
    assert not PanelMember.objects.filter(panel=panel, is_chair=True).exists()

    url = reverse("reviews:panel_replace", args=[panel.pk, member.pk])
    response = client.post(url, {"reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写更换专家的理由。" in html and f'href="#id_m{member.pk}_reason"' in html
    field = re.search(rf'<input[^>]*id="id_m{member.pk}_reason"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and f"id_m{member.pk}_reason_error" in field
    assert f'id="id_m{member.pk}_reason_error"' in html
    assert panel.members.count() == seats


def test_a_refused_visit_note_is_the_page_again_with_one_form_per_visit(
    client, officer_user, panel
):
    from datetime import date

    from reviews.services import visits

    member = accept_all(panel)[0]
    first, second = (
        visits.visit_record(
            actor=officer_user,
            panel_id=panel.pk,
            kind=kind,
            date=date(2026, 11, 16),
            place="太原市小店区",
            attendees="专家组",
            findings="场地与方案一致。",
        )
        for kind in ("inspection", "defense")
    )
    client.force_login(member.expert.user)
    url = reverse("reviews:member_visit_note", args=[member.pk, second.pk])
    response = client.post(url, {"text": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写考察或答辩意见。" in html and f'href="#id_v{second.pk}_text"' in html
    # each visit's form has ids of its own; only the refused one is marked invalid
    assert html.count(f'id="id_v{first.pk}_text"') == html.count(f'id="id_v{second.pk}_text"') == 1
    field = re.search(rf'<textarea[^>]*id="id_v{second.pk}_text"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert not second.notes.exists()
