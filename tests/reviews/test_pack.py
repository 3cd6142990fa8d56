"""The panel pack: one ZIP per panel, the plan book of the version under review and its
attachments under Chinese names, for the officer and the accepted experts only."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import VersionBook
from reviews import pack
from reviews.models import PanelMember, PanelPack
from reviews.tasks import build_panel_pack
from tests.documents import pdfcheck
from tests.factories import OrganizationFactory, applicant
from tests.texts import zh

from .factories import accept_all, form_panel, pool


@pytest.fixture
def panel(app, officer_user):
    pool()
    panel = form_panel(app, officer_user)
    accept_all(panel)
    panel.refresh_from_db()
    return panel


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_officer_and_accepted_expert_get_the_same_pack(panel, officer_user, app):
    client = Client()
    client.force_login(officer_user)
    response = client.get(reverse("reviews:panel_pack", args=[panel.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "%E8%AF%84%E5%AE%A1%E6%9D%90%E6%96%99" in response["Content-Disposition"]  # 评审材料
    archive = zip_of(response)
    names = archive.namelist()
    book = f"{app.number}-第{panel.version_number}版-申报书.pdf"
    assert names[0] == book
    assert all(info.flag_bits & 0x800 for info in archive.infolist())  # UTF-8 names
    version = app.versions.get(number=panel.version_number)
    assert len(names) == 1 + len(version.attachments)
    for item in version.attachments:
        assert any(n.startswith("附件/") and n.endswith(item["name"]) for n in names)
    assert "章程" in "".join(names)
    text = pdfcheck.text(archive.read(book))
    assert f"第{panel.version_number}版" in text and "一、基本信息" in text
    # nothing about the panel: no expert's name anywhere in the pack
    experts = [str(m.expert.user) for m in panel.members.select_related("expert__user")]
    everything = "".join(names) + text
    assert not [name for name in experts if name in everything]

    member = panel.members.filter(status=PanelMember.Status.ACCEPTED).first()
    expert = Client()
    expert.force_login(member.expert.user)
    again = expert.get(reverse("reviews:member_pack", args=[member.pk]))
    assert again.status_code == 200
    assert zip_of(again).namelist() == names
    assert PanelPack.objects.count() == 1 and VersionBook.objects.count() == 1


def test_refused_users_get_403_or_404(panel, app, officer_user):
    member = panel.members.filter(status=PanelMember.Status.ACCEPTED).first()
    owner = Client()
    owner.force_login(app.created_by)
    assert owner.get(reverse("reviews:panel_pack", args=[panel.pk])).status_code in (403, 404)
    assert owner.get(reverse("reviews:member_pack", args=[member.pk])).status_code in (403, 404)
    stranger = Client()
    stranger.force_login(applicant(OrganizationFactory(name="大同陌生单位有限公司")))
    assert stranger.get(reverse("reviews:panel_pack", args=[panel.pk])).status_code in (403, 404)
    other_seat = panel.members.exclude(pk=member.pk).filter(status="accepted").first()
    expert = Client()
    expert.force_login(member.expert.user)
    assert expert.get(reverse("reviews:member_pack", args=[other_seat.pk])).status_code == 404
    assert Client().get(reverse("reviews:panel_pack", args=[panel.pk])).status_code == 302
    assert PanelPack.objects.count() == 0


def test_invited_but_not_accepted_expert_is_refused(app, officer_user):
    pool()
    panel = form_panel(app, officer_user)
    member = panel.members.filter(status=PanelMember.Status.INVITED).first()
    client = Client()
    client.force_login(member.expert.user)
    assert client.get(reverse("reviews:member_pack", args=[member.pk])).status_code == 404


def test_large_pack_is_built_by_the_task(panel, officer_user, settings):
    settings.REVIEWS_PACK_SYNC_BYTES = 10  # every attachment set is "large"
    client = Client()
    client.force_login(officer_user)
    url = reverse("reviews:panel_pack", args=[panel.pk])
    waiting = client.get(url)
    assert (
        waiting.status_code == 202
        and zh("The review pack is being built") in waiting.content.decode()
    )
    assert PanelPack.objects.count() == 0
    first = build_panel_pack.apply(args=[panel.pk]).get()
    assert build_panel_pack.apply(args=[panel.pk]).get() == first  # idempotent
    ready = client.get(url)
    assert ready.status_code == 200 and zip_of(ready).namelist()
    assert pack.existing_pack(panel).pk == first
