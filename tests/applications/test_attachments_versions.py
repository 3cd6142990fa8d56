"""Attachments (content checks, private download, immutability) and frozen versions."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import versions
from applications.models import ApplicationVersion, Attachment
from applications.services import (
    application_save_section,
    application_submit,
    attachment_remove,
)
from applications.testing import MINIMAL_PDF, make_complete_plan
from tests.factories import officer, reviewer

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, app, name, content, kind="charter"):
    return client.post(
        reverse("applications:section", args=[app.pk, "attachments"]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def office_zip(part):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(f"{part}/document.xml", "<x/>")
    return buf.getvalue()


def test_real_pdf_is_accepted_and_stored_privately(client, user, plan, private_media):
    client.force_login(user)
    response = upload(client, plan, "章程2.pdf", MINIMAL_PDF)
    assert response.status_code == 302
    a = Attachment.objects.get(name="章程2.pdf")
    assert a.file.path.startswith(str(private_media))
    assert "private/" in a.file.name and not a.file.name.endswith(".pdf")  # no guessable name
    assert a.sha256 and a.size == len(MINIMAL_PDF)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("伪装.pdf", PNG, "不是真正的PDF"),
        ("文本.pdf", b"just some text pretending", "不是真正的PDF"),
        ("表格.xlsx", office_zip("word"), "不是真正的Excel表格"),
        ("文档.docx", b"PK\x03\x04garbage", "不是真正的Word文档"),
        ("脚本.exe", MINIMAL_PDF, "不支持的文件类型"),
    ],
)
def test_content_checks_refuse(client, user, plan, name, content, message):
    client.force_login(user)
    before = Attachment.objects.count()
    response = upload(client, plan, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Attachment.objects.count() == before


@pytest.mark.parametrize(
    "name,content",
    [
        ("a.docx", office_zip("word")),
        ("a.xlsx", office_zip("xl")),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("a.png", PNG),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100),
    ],
)
def test_office_and_images_accepted(client, user, plan, name, content):
    client.force_login(user)
    assert upload(client, plan, name, content, kind="other").status_code == 302
    assert Attachment.objects.filter(application=plan, kind="other", name=name).exists()


def test_oversize_refused(client, user, plan, settings):
    settings.APPLICATION_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(user)
    response = upload(client, plan, "大文件.pdf", MINIMAL_PDF + b"0" * 2000)
    assert "单个文件不得超过" in response.content.decode()


def test_download_checks_permission(client, user, plan):
    a = Attachment.objects.filter(application=plan).first()
    url = reverse("applications:attachment_download", args=[plan.pk, a.pk])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert "attachment" in response["Content-Disposition"]
    # the bureau before submission: not routed yet -> 404
    client.force_login(reviewer("太原市"))
    assert client.get(url).status_code == 404
    # attachment id of another plan through this plan's URL -> 404
    other = make_complete_plan(plan.organization, user, name="另一个")
    b = Attachment.objects.filter(application=other).first()
    client.force_login(user)
    assert (
        client.get(reverse("applications:attachment_download", args=[plan.pk, b.pk])).status_code
        == 404
    )


def test_submit_freezes_version_and_numbers(user, plan, org):
    app = application_submit(actor=user, application_id=plan.pk)
    v = app.current_version
    assert v.number == 1 and v.reason == "submit"
    assert app.number.endswith("-0001")
    assert v.data["full_name"] == "山西省半导体材料技术创新中心"
    assert v.data["organization"]["credit_code"] == org.credit_code
    assert v.data["industry_field"]["code"]
    assert v.data["plan"]["director"]["title_level"] == "senior_full"
    assert {x["kind"] for x in v.attachments} >= {"charter", "plan_document", "credit_report"}
    assert all(set(x) == {"id", "kind", "name", "size", "sha256"} for x in v.attachments)
    second = make_complete_plan(org, user, name="第二个")
    second = application_submit(actor=user, application_id=second.pk)
    assert second.number.endswith("-0002")
    # the department group now sees it
    bureau_user = reviewer("太原市")
    assert bureau_user.has_perm("applications.view_application", app)


def test_version_is_immutable(user, plan):
    app = application_submit(actor=user, application_id=plan.pk)
    v = app.current_version
    v.data = {}
    with pytest.raises(PermissionDenied):
        v.save()
    with pytest.raises(PermissionDenied):
        v.delete()
    with pytest.raises(PermissionDenied):
        ApplicationVersion.objects.filter(pk=v.pk).update(data={})
    with pytest.raises(PermissionDenied):
        ApplicationVersion.objects.filter(pk=v.pk).delete()
    with pytest.raises(PermissionDenied):
        Attachment.objects.first().delete()


def _return(app):
    from applications.services import application_transition

    return (
        application_transition(
            actor=officer(), application_id=app.pk, transition="return_plan", reason="请补充"
        )
        if app.status == "province_recheck"
        else application_transition(
            actor=reviewer("太原市"),
            application_id=app.pk,
            transition="return_plan",
            reason="面积证明不清晰，请补充",
        )
    )


def test_resubmit_second_version_and_compare(client, user, plan):
    app = application_submit(actor=user, application_id=plan.pk)
    _return(app)
    facilities = dict(plan.plan["facilities"], area_m2=3000)
    application_save_section(
        actor=user, application_id=plan.pk, section="facilities", data=facilities
    )
    team = dict(plan.plan["team"])
    team["key_members"] = [
        team["key_members"][0] | {"title": "研究员"},
        {"name": "赵六", "title": "工程师", "role": "测试"},
    ]
    application_save_section(actor=user, application_id=plan.pk, section="team", data=team)
    old = Attachment.objects.get(application=plan, kind="premises_proof")
    attachment_remove(actor=user, application_id=plan.pk, attachment_id=old.pk)
    client.force_login(user)
    upload(client, plan, "新场地证明.pdf", MINIMAL_PDF, kind="premises_proof")
    app = application_submit(actor=user, application_id=plan.pk)
    assert app.status == "dept_review"
    v1, v2 = list(app.versions.order_by("number"))
    assert v2.number == 2 and v2.reason == "resubmit"
    assert v1.plan["facilities"]["area_m2"] == 2600  # the old version did not change
    diff = {s["code"]: s for s in versions.compare(v1, v2)}
    assert {"label": "使用面积（平方米）", "old": "2600", "new": "3000"} in diff["facilities"][
        "fields"
    ]
    members = diff["team"]["lists"][0]
    assert any("赵六" in r for r in members["added"])
    assert any("王芳" in r for r in members["removed"])
    assert members["changed"] == [
        {"row": "李明", "changes": [{"label": "职称", "old": "教授", "new": "研究员"}]}
    ]
    assert any("新场地证明.pdf" in r for r in diff["attachments"]["lists"][0]["added"])
    # the removed attachment is still downloadable for v1
    assert (
        client.get(reverse("applications:attachment_download", args=[plan.pk, old.pk])).status_code
        == 200
    )
    page = client.get(reverse("applications:compare", args=[plan.pk]) + "?a=1&b=2")
    html = page.content.decode()
    assert "2600" in html and "3000" in html and "赵六" in html and "新场地证明.pdf" in html
    page = client.get(reverse("applications:version", args=[plan.pk, 1]))
    html = page.content.decode()
    assert "场地证明.pdf" in html and "张建国" in html and "2600" in html
