"""Expert pool import from CSV and XLSX: bad rows reported in Chinese and skipped, good rows kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.roles import EXPERT
from reviews.imports import TEMPLATE_HEADERS, ImportFileError, import_experts
from reviews.models import ExpertProfile
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

GOOD = [
    "expert_li",
    "李华",
    "技术",
    "F01；大数据",
    "芯片",
    "山西示范大学",
    "",
    "教授",
    "13800000001",
    "li@example.com",
    "在库",
    "某公司|",
]


def rows():
    code = valid_credit_code()
    return [
        TEMPLATE_HEADERS,
        GOOD[:6] + [code] + GOOD[7:],
        [
            "expert_wang",
            "王强",
            "管理专家",
            "",
            "",
            "山西示范研究院",
            "",
            "研究员",
            "",
            "",
            "在库",
            "",
        ],
        ["expert_bad", "", "园艺", "F99", "", "某单位", "123", "", "", "not-an-email", "也许", ""],
        [
            "expert_zhao",
            "赵敏",
            "财务",
            "",
            "",
            "某会计师事务所",
            "",
            "高级会计师",
            "",
            "",
            "停用",
            "",
        ],
    ]


def csv_upload(table, encoding="utf-8-sig"):
    text = "\n".join(",".join(cell for cell in row) for row in table)
    return SimpleUploadedFile("experts.csv", text.encode(encoding), content_type="text/csv")


def xlsx_upload(table):
    book = Workbook()
    sheet = book.active
    for row in table:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return SimpleUploadedFile("experts.xlsx", buf.getvalue())


@pytest.mark.parametrize("make", [csv_upload, xlsx_upload])
def test_import_keeps_good_rows_and_reports_bad_ones(officer_user, make):
    report = import_experts(actor=officer_user, upload=make(rows()))
    assert sorted(report.created) == ["expert_li", "expert_wang", "expert_zhao"]
    assert len(report.errors) == 1
    number, problems = report.errors[0]
    assert number == 4
    assert "「姓名」不能为空。" in problems
    assert "专家类别「园艺」无法识别，应为技术、管理或财务。" in problems
    assert "产业领域「F99」不存在。" in problems
    assert any(p.startswith("单位统一社会信用代码：") for p in problems)
    assert "电子邮箱「not-an-email」格式不正确。" in problems
    assert "状态「也许」无法识别，应为在库或停用。" in problems

    li = ExpertProfile.objects.get(user__username="expert_li")
    assert li.kind == "technical" and str(li.user) == "李华"
    assert sorted(f.code for f in li.industry_fields.all()) == ["F01", "F04"]
    assert li.avoid_organizations == [{"name": "某公司", "credit_code": ""}]
    assert li.user.has_role(EXPERT)
    assert not ExpertProfile.objects.get(user__username="expert_zhao").is_active
    assert not ExpertProfile.objects.filter(user__username="expert_bad").exists()


def test_import_again_updates_instead_of_duplicating(officer_user):
    import_experts(actor=officer_user, upload=csv_upload(rows()))
    table = rows()
    table[2][7] = "正高级工程师"
    report = import_experts(actor=officer_user, upload=csv_upload(table))
    assert "expert_wang" in report.updated and not report.created
    assert ExpertProfile.objects.get(user__username="expert_wang").title == "正高级工程师"
    assert ExpertProfile.objects.count() == 3


def test_gb18030_csv_and_missing_columns(officer_user):
    report = import_experts(actor=officer_user, upload=csv_upload(rows(), encoding="gb18030"))
    assert len(report.created) == 3
    with pytest.raises(ImportFileError) as exc:
        import_experts(actor=officer_user, upload=csv_upload([["姓名", "职称"], ["张三", "教授"]]))
    assert "缺少必需的列：用户名、专家类别、工作单位" in str(exc.value)


# --- bounded parsing: limits, crafted files, bad text ------------------------------------------


def _rewrite_sheet(data: bytes, edit, member="xl/worksheets/sheet1.xml") -> bytes:
    """The XLSX ``data`` with one part's XML (the first worksheet) passed through ``edit``."""
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = edit(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def _xlsx_bytes(table) -> bytes:
    upload = xlsx_upload(table)
    return upload.read()


def test_xlsx_claiming_the_whole_sheet_is_refused_quickly_with_flat_memory(officer_user):
    import re as re_mod
    import time
    import tracemalloc

    data = _rewrite_sheet(
        _xlsx_bytes(rows()),
        lambda xml: re_mod.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert len(data) < 10_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileError) as exc:
            import_experts(actor=officer_user, upload=SimpleUploadedFile("bomb.xlsx", data))
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "文件超出导入上限：最多5000行数据（不含表头）、50列" in str(exc.value)
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024
    assert not ExpertProfile.objects.exists()


def test_xlsx_with_a_small_claim_but_a_far_row_is_refused_while_streaming(officer_user, settings):
    settings.IMPORT_MAX_ROWS = 10
    far = b'<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _rewrite_sheet(_xlsx_bytes(rows()), lambda xml: xml.replace(b"</sheetData>", far))
    with pytest.raises(ImportFileError, match="最多10行数据"):
        import_experts(actor=officer_user, upload=SimpleUploadedFile("far.xlsx", data))
    assert not ExpertProfile.objects.exists()


def test_rows_and_columns_beyond_the_limits_are_refused(officer_user, settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportFileError, match="最多3行数据"):
        import_experts(actor=officer_user, upload=csv_upload(rows()))  # 4 data rows
    settings.IMPORT_MAX_ROWS = 5000
    settings.IMPORT_MAX_COLS = 12
    wide = rows()
    wide[1] = wide[1] + ["extra"]
    for make in (csv_upload, xlsx_upload):
        with pytest.raises(ImportFileError, match="12列"):
            import_experts(actor=officer_user, upload=make(wide))
    assert not ExpertProfile.objects.exists()
    # exactly at the limits is accepted
    settings.IMPORT_MAX_ROWS = 4
    report = import_experts(actor=officer_user, upload=xlsx_upload(rows()))
    assert len(report.created) == 3


def test_xlsx_that_inflates_beyond_the_limit_is_refused(officer_user, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    padding = b" " * (2 * 1024 * 1024)
    data = _rewrite_sheet(
        _xlsx_bytes(rows()), lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding)
    )
    assert len(data) < 50_000  # a few KB that inflate to 2 MB
    with pytest.raises(ImportFileError, match="解压后超过 1 MB"):
        import_experts(actor=officer_user, upload=SimpleUploadedFile("zip.xlsx", data))


def test_csv_field_over_the_csv_limit_is_a_clear_error(officer_user):
    import csv

    table = rows()
    table[1][4] = "长" * (csv.field_size_limit() + 1)
    text = "\n".join(",".join(f'"{c}"' for c in row) for row in table)
    upload = SimpleUploadedFile("experts.csv", text.encode("utf-8"))
    with pytest.raises(ImportFileError, match="第2行无法解析：单元格过长"):
        import_experts(actor=officer_user, upload=upload)


def test_nul_in_a_cell_is_a_row_error(officer_user):
    table = rows()
    upload = csv_upload([*table[:2], [table[2][0], "王\x00强", *table[2][2:]]])
    report = import_experts(actor=officer_user, upload=upload)
    problems = dict(report.errors)[3]
    assert "「姓名」含有空字符（NUL），请删除后重新导入。" in problems
    assert not ExpertProfile.objects.filter(user__username="expert_wang").exists()
    assert "expert_li" in report.created


def test_undecodable_csv_is_a_clear_error(officer_user):
    upload = SimpleUploadedFile("experts.csv", "用户名,姓名".encode() + b"\xff\xfe\x80\x81")
    with pytest.raises(ImportFileError, match="无法识别文件编码，请另存为 UTF-8 编码的 CSV 文件"):
        import_experts(actor=officer_user, upload=upload)


def test_the_import_page_shows_the_refusal_on_the_field(client, officer_user):
    from django.urls import reverse

    client.force_login(officer_user)
    data = _rewrite_sheet(
        _xlsx_bytes(rows()),
        lambda xml: xml.replace(b'<dimension ref="A1:L5"', b'<dimension ref="A1:XFD1048576"'),
    )
    response = client.post(
        reverse("reviews:expert_import"), {"file": SimpleUploadedFile("bomb.xlsx", data)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "文件超出导入上限" in page
    assert 'class="invalid-feedback' in page or "is-invalid" in page
    assert not ExpertProfile.objects.exists()


def test_row_problems_in_english_on_the_english_page(client, officer_user, settings):
    from django.urls import reverse

    client.force_login(officer_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("reviews:expert_import"), {"file": csv_upload(rows())})
    page = response.content.decode()
    assert "“姓名” may not be empty." in page  # the file's own column header
    assert "Expert kind “园艺” is not recognised; use technical, management or financial." in page
    assert "Industry field “F99” does not exist." in page
    assert "不能为空" not in page
    assert sorted(ExpertProfile.objects.values_list("user__username", flat=True)) == [
        "expert_li",
        "expert_wang",
        "expert_zhao",
    ]
