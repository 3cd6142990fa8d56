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
