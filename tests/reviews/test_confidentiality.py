"""Review confidentiality (DESIGN §2.2, issue 8 item 5), tried from the applicant's side.

A panel of named experts accepts, declares, scores, records a site inspection and signs
its opinion. The applicant's pages, timeline, messages, e-mails and the opinion PDF carry
no expert's name or username; the officer still reads them.
"""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import Message
from notifications.tasks import send_message_emails
from reviews.models import PanelMember
from reviews.services import members as members_services
from reviews.services import opinion, visits
from tests.factories import OrganizationFactory, applicant

from .factories import (
    accept_all,
    expert,
    form_panel,
    plan_in_expert_review,
    score_all,
    sign_opinion,
)

pytestmark = pytest.mark.django_db

NAMES = [
    ("zj_ouyang", "欧阳", "明远"),
    ("zj_sima", "司马", "清风"),
    ("zj_zhuge", "诸葛", "文澜"),
    ("zj_shangguan", "上官", "秋水"),
    ("zj_murong", "慕容", "长青"),
    ("zj_dongfang", "东方", "既白"),
    ("zj_linghu", "令狐", "冲霄"),
    ("zj_dugu", "独孤", "求真"),
]
KINDS = ["technical"] * 4 + ["management"] * 2 + ["financial"] * 2


def named_pool():
    experts = []
    for (username, last, first), kind in zip(NAMES, KINDS, strict=True):
        profile = expert(kind, username=username, employer_name=f"{last}研究院")
        profile.user.last_name, profile.user.first_name = last, first
        profile.user.save(update_fields=["last_name", "first_name"])
        experts.append(profile)
    return experts


def leaks(text: str) -> list[str]:
    found = []
    for username, last, first in NAMES:
        for needle in (username, last + first):
            if needle in text:
                found.append(needle)
    return found


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


@pytest.fixture
def scenario(officer_user):
    return build_scenario(officer_user)


def build_scenario(officer_user):
    """A plan whose named panel accepted, declared, scored, visited and signed its opinion."""
    org = OrganizationFactory(name="太原保密测试材料有限公司")
    owner = applicant(org, username="owner_conf", last_name="刘", first_name="申报")
    app = plan_in_expert_review(org=org, user=owner)
    named_pool()
    panel = form_panel(app, officer_user)
    members = accept_all(panel)
    members_services.panel_set_chair(actor=officer_user, panel_id=panel.pk, member_id=members[0].pk)
    visit = visits.visit_record(
        actor=officer_user,
        panel_id=panel.pk,
        kind="inspection",
        date=timezone.localdate(),
        place="太原市小店区",
        attendees="、".join(str(m.expert.user) for m in members),
        findings="场地与方案一致。",
    )
    visits.visit_note_save(
        actor=members[1].expert.user, member_id=members[1].pk, visit_id=visit.pk, text="同意。"
    )
    score_all(panel)
    sign_opinion(panel, PanelMember.objects.get(pk=members[0].pk))
    panel.refresh_from_db()
    return {"app": app, "panel": panel, "owner": owner, "members": members}


def applicant_pages(client, app, panel):
    urls = [
        reverse("home"),
        reverse("applications:home"),
        reverse("applications:detail", args=[app.pk]),
        reverse("applications:version", args=[app.pk, 1]),
        reverse("notifications:list"),
    ]
    if panel.outcome:
        urls.append(reverse("reviews:improve", args=[app.pk]))
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def test_applicant_timeline_during_review_names_no_expert(client, scenario, officer_user):
    app, panel, owner = scenario["app"], scenario["panel"], scenario["owner"]
    client.force_login(owner)
    pages = applicant_pages(client, app, panel)
    for url, html in pages.items():
        assert leaks(html) == [], url
    detail = pages[reverse("applications:detail", args=[app.pk])]
    timeline = detail[detail.index("audit-timeline") :]
    # the step, the inspection and the opinion are there, acting as bodies
    assert "专家组意见已形成" in timeline and "记录实地考察" in timeline
    assert "专家组" in timeline and "省科技厅" in timeline
    # acceptances, declarations, the chair and the scores are not
    for internal in ("专家接受邀请", "专家声明无利益冲突", "指定专家组组长", "专家提交评分"):
        assert internal not in timeline
    # the opinion PDF is not the applicant's until the review is concluded
    assert client.get(reverse("reviews:opinion_pdf", args=[panel.pk])).status_code == 404

    # the officer still reads the whole log with names
    client.force_login(officer_user)
    review = client.get(reverse("applications:review_detail", args=[app.pk])).content.decode()
    assert "专家接受邀请" in review and "专家提交评分" in review
    chair = str(scenario["members"][0].expert.user)
    assert chair in review


def test_applicant_after_conclusion_pages_messages_mails_and_pdf(client, scenario, officer_user):
    app, panel, owner = scenario["app"], scenario["panel"], scenario["owner"]
    opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="pass")
    panel.refresh_from_db()
    client.force_login(owner)
    for url, html in applicant_pages(client, app, panel).items():
        assert leaks(html) == [], url

    response = client.get(reverse("reviews:opinion_pdf", args=[panel.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "该建设方案基础扎实" in text and "进一步明确三年研发投入的来源。" in text
    assert "技术专家3名" in text and "专家组组长（签字）" not in text
    assert leaks(text) == []

    own = Message.objects.filter(recipient=owner)
    assert own.exists() and all(leaks(m.subject + m.body) == [] for m in own)
    mail.outbox.clear()
    send_message_emails(list(Message.objects.values_list("pk", flat=True)))
    to_owner = [m for m in mail.outbox if owner.email in m.to]
    assert to_owner and all(leaks(m.subject + m.body) == [] for m in to_owner)

    # the officer's and the experts' copy of the PDF names the panel
    client.force_login(officer_user)
    officer_text = pdf_text(client.get(reverse("reviews:opinion_pdf", args=[panel.pk])).content)
    assert str(scenario["members"][0].expert.user) in officer_text
    assert "专家组组长（签字）" in officer_text
    member = scenario["members"][2]
    client.force_login(member.expert.user)
    member_text = pdf_text(client.get(reverse("reviews:opinion_pdf", args=[panel.pk])).content)
    assert str(member.expert.user) in member_text


def test_applicant_timeline_after_improvement_names_no_expert(client, scenario, officer_user):
    app, panel, owner = scenario["app"], scenario["panel"], scenario["owner"]
    opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="pass")
    answers = {p.pk: "已补充。" for p in panel.points.all()}
    opinion.improvement_save(actor=owner, application_id=app.pk, answers=answers, submit=True)
    client.force_login(owner)
    compare = client.get(reverse("applications:compare", args=[app.pk]), {"a": 1, "b": 2})
    assert compare.status_code == 200 and leaks(compare.content.decode()) == []
    detail = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert leaks(detail) == []
    assert re.search(r"专家论证.*→", detail)  # the transitions of the step are shown


def test_concluded_opinion_is_issued_once_per_copy_and_verifies(client, scenario, officer_user):
    """After the conclusion both copies are stored IssuedDocuments with a verification code;
    the public verification page of the applicant's copy names no expert."""
    from documents.verification import display, verify_path
    from reviews.services import opinion_documents
    from reviews.tasks import issue_opinion_documents

    app, panel, owner = scenario["app"], scenario["panel"], scenario["owner"]
    opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="pass")
    first = issue_opinion_documents.apply(args=[panel.pk]).get()
    assert issue_opinion_documents.apply(args=[panel.pk]).get() == first  # idempotent
    documents = opinion_documents.opinion_documents(panel)
    full, copy = documents["full"], documents["applicant"]
    assert full.verification_code != copy.verification_code
    assert app.name not in copy.title and app.number in copy.title

    client.force_login(owner)
    owner_pdf = client.get(reverse("reviews:opinion_pdf", args=[panel.pk])).content
    with copy.file.open("rb") as handle:
        assert owner_pdf == handle.read()
    assert display(copy.verification_code) in pdf_text(owner_pdf).replace("\n", "")
    client.force_login(officer_user)
    with full.file.open("rb") as handle:
        assert client.get(reverse("reviews:opinion_pdf", args=[panel.pk])).content == handle.read()

    client.logout()
    page = client.get(verify_path(copy.verification_code)).content.decode()
    assert copy.title in page and copy.sha256 in page
    assert leaks(page) == []
