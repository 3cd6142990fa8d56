"""Issuing designation notices: number, layout, stored file, audit, idempotence, corrections."""

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from documents import services, tasks
from documents.models import ImmutableDocumentError, IssuedDocument
from documents.selectors import notices_for
from numbering.models import Sequence
from tests.documents import pdfcheck
from tests.documents.conftest import make_center
from tests.factories import UserFactory, applicant, officer

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 10, 13, 9, 30, tzinfo=SHANGHAI)
MM = 72 / 25.4


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def notice(center):
    return services.issue_designation_notice(center_id=center.pk, now=NOW)


def test_notice_is_numbered_stored_privately_and_audited(center, notice, private_media):
    assert notice.number == "晋科发〔2026〕1号"
    assert (notice.prefix, notice.year, notice.sequence) == ("晋科发", 2026, 1)
    assert notice.kind == "designation_notice"
    assert notice.target == center
    assert notice.title == "山西省科学技术厅关于认定山西省碳基新材料技术创新中心的通知"
    assert notice.issued_by is None  # the system
    path = private_media / notice.file.name
    assert notice.file.name.startswith("documents/2026/")
    assert path.is_file()
    pdf = path.read_bytes()
    assert notice.size == len(pdf) < 1024 * 1024
    assert notice.sha256 == hashlib.sha256(pdf).hexdigest()

    for target in (center, notice):
        event = AuditEvent.objects.get(
            action="documents.designation_notice.issued",
            target_id=str(target.pk),
            target_type__model=target._meta.model_name,
        )
        assert event.data["number"] == "晋科发〔2026〕1号"
        assert "晋科发〔2026〕1号" in event.data["label"]


def test_notice_pdf_says_what_the_designation_is(center, notice):
    pdf = read(notice)
    text = pdfcheck.text(pdf)
    for expected in (
        "山西省科学技术厅文件",
        "晋科发〔2026〕1号",
        "山西省科学技术厅关于认定山西省碳基新材料技术创新中心的通知",
        f"太原市科学技术局，{center.lead_organization.name}：",
        "《山西省技术创新中心管理办法（试行）》",
        "第九条",
        "中心名称：山西省碳基新材料技术创新中心",
        f"中心编号：{center.number}",
        "中心类型：领域类技术创新中心",
        "所属领域：炭基新材料",
        "共建单位：太原理工大学",
        "认定日期：2026年10月13日",
        "山西省科学技术厅2026年10月13日",  # signature over the date of issue
        "—1—",
    ):
        assert expected in text, expected
    assert {pdfcheck.family(row["name"]) for row in pdfcheck.fonts(pdf)} <= {
        "SX-Serif-Bold",
        "SX-FangSong",
        "SX-Hei",
        "SX-Kai",
    }
    assert all(row["emb"] == "yes" and row["uni"] == "yes" for row in pdfcheck.fonts(pdf))


def test_notice_layout_is_a4_with_the_official_margins(notice):
    pdf = read(notice)
    reader = pdfcheck.reader(pdf)
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)

    words = pdfcheck.word_boxes(pdf, page=1)
    body = [w for w in words if w[3] < 842 - 35 * MM]  # page number lives in the bottom margin
    left = min(w[0] for w in body)
    right = max(w[2] for w in body)
    top = min(w[1] for w in body)
    assert left == pytest.approx(28 * MM, abs=1.5)  # binding margin 28 mm
    assert right <= 595.28 - 26 * MM + 1  # right margin 26 mm
    # The mark's line starts 35 mm below the top of the type area (37 mm margin); the
    # word box includes the font's ascent, which reaches a few points above the line box.
    assert 37 * MM + 35 * MM - 8 <= top <= 37 * MM + 35 * MM + 8
    # The date line is right-aligned four characters (4 x 15.78 pt) in from the type area.
    date = [w for w in pdfcheck.word_boxes(pdf, page=2) if "2026年10月13日" in w[4]]
    assert date, "date not on page 2"
    assert date[-1][2] == pytest.approx(595.28 - 26 * MM - 4 * 15.79, abs=2)
    # Page numbers 「— 1 —」 sit in the bottom margin.
    numbers = [w for w in words if w[1] > 842 - 35 * MM]
    assert numbers and "1" in "".join(w[4] for w in numbers)

    page = pdfcheck.page_png(pdf)
    red = sum(1 for r, g, b in page.get_flattened_data() if r > 180 and g < 90 and b < 90)
    dark = sum(1 for r, g, b in page.get_flattened_data() if r + g + b < 300)
    assert red > 200 and dark > 500


def test_issuing_twice_gives_one_document_and_one_number(center, notice):
    again = services.issue_designation_notice(center_id=center.pk, now=NOW)
    assert again.pk == notice.pk
    assert IssuedDocument.objects.count() == 1
    assert Sequence.objects.get(kind="document:晋科发", year=2026).last == 1


def test_task_is_idempotent(center):
    first = tasks.issue_designation_notice.apply(args=[center.pk]).get()
    second = tasks.issue_designation_notice.apply(args=[center.pk]).get()
    assert first == second
    document = IssuedDocument.objects.get()
    assert document.pk == first
    assert document.sequence == 1
    assert Sequence.objects.get(kind="document:晋科发").last == 1


def test_numbers_are_sequential_per_year_and_restart_each_year(db):
    first = make_center(name="甲")
    second = make_center(name="乙")
    third = make_center(name="丙")
    a = services.issue_designation_notice(center_id=first.pk, now=NOW)
    b = services.issue_designation_notice(center_id=second.pk, now=NOW)
    c = services.issue_designation_notice(
        center_id=third.pk, now=dt.datetime(2027, 1, 1, 0, 5, tzinfo=SHANGHAI)
    )
    assert [a.number, b.number, c.number] == [
        "晋科发〔2026〕1号",
        "晋科发〔2026〕2号",
        "晋科发〔2027〕1号",
    ]


def test_only_officers_administrators_or_the_system_issue(center):
    with pytest.raises(PermissionDenied):
        services.issue_designation_notice(actor=applicant(), center_id=center.pk, now=NOW)
    assert not IssuedDocument.objects.exists()
    assert not Sequence.objects.filter(kind__startswith="document:", last__gt=0).exists()
    admin = UserFactory(roles=["administrator"])
    assert (
        services.issue_designation_notice(actor=admin, center_id=center.pk, now=NOW).issued_by
        == admin
    )


def test_correction_is_a_new_document_and_leaves_the_old_file_untouched(center, notice):
    old_bytes = read(notice)
    old_name = notice.file.name
    actor = officer()

    corrected = services.reissue_designation_notice(
        actor=actor,
        document_id=notice.pk,
        reason="牵头单位名称有误",
        now=NOW + dt.timedelta(days=1),
    )

    assert corrected.pk != notice.pk
    assert corrected.number == "晋科发〔2026〕2号"
    assert corrected.supersedes == notice
    assert corrected.reason == "牵头单位名称有误"
    assert corrected.issued_by == actor
    assert corrected.file.name != old_name
    notice.refresh_from_db()
    assert notice.file.name == old_name
    assert read(notice) == old_bytes
    assert hashlib.sha256(old_bytes).hexdigest() == notice.sha256
    text = pdfcheck.text(read(corrected))
    assert "晋科发〔2026〕2号" in text
    assert "此件更正并替代晋科发〔2026〕1号" in text
    assert services.current_designation_notice(center) == corrected
    assert list(notices_for(center)) == [corrected, notice]
    # The task stays idempotent: it returns the original, issues nothing new.
    assert tasks.issue_designation_notice.apply(args=[center.pk]).get() == notice.pk
    assert IssuedDocument.objects.count() == 2
    event = AuditEvent.objects.filter(action="documents.designation_notice.issued").latest("pk")
    assert event.data["reason"] == "牵头单位名称有误"
    assert event.data["supersedes"] == "晋科发〔2026〕1号"


def test_a_superseded_notice_cannot_be_corrected_twice(center, notice):
    actor = officer()
    services.reissue_designation_notice(
        actor=actor, document_id=notice.pk, reason="更正一", now=NOW
    )
    with pytest.raises(services.DocumentError, match="已被晋科发〔2026〕2号更正"):
        services.reissue_designation_notice(
            actor=actor, document_id=notice.pk, reason="更正二", now=NOW
        )
    with pytest.raises(services.DocumentError, match="更正原因"):
        services.reissue_designation_notice(actor=actor, document_id=notice.pk, reason="  ")
    with pytest.raises(PermissionDenied):
        services.reissue_designation_notice(actor=applicant(), document_id=notice.pk, reason="x")
    assert IssuedDocument.objects.count() == 2


def test_issued_documents_are_immutable(notice):
    notice.number = "晋科发〔2026〕99号"
    with pytest.raises(ImmutableDocumentError):
        notice.save()
    notice.refresh_from_db()
    notice.file.name = "documents/2026/other.pdf"
    with pytest.raises(ImmutableDocumentError):
        notice.save()
    notice.refresh_from_db()
    with pytest.raises(ImmutableDocumentError):
        notice.delete()
    notice.refresh_from_db()
    assert notice.number == "晋科发〔2026〕1号"


def test_a_failed_rendering_gives_the_number_back(center, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        services.issue_designation_notice(center_id=center.pk, now=NOW)
    monkeypatch.undo()
    assert (
        services.issue_designation_notice(center_id=center.pk, now=NOW).number
        == "晋科发〔2026〕1号"
    )


def test_number_format():
    assert services.format_number("晋科发", 2026, 12) == "晋科发〔2026〕12号"
    assert services.format_number("晋科函", 2027, 7) == "晋科函〔2027〕7号"
    assert services.cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
