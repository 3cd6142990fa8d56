import csv
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from workdays.importing import parse_csv
from workdays.models import CalendarDay, Year
from workdays.services import UnknownCalendarYear, is_working_day, nth_working_day

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "workdays" / "fixtures" / "2027.example.csv"

# A small 2027 file for the tests (made up, like the shipped example).
CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-20,workday,春节调休上班
"""


def write(tmp_path, text, name="2027.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return str(path)


def run(*args):
    out = StringIO()
    call_command("import_workdays", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def stored_2027():
    return list(
        CalendarDay.objects.filter(year=2027)
        .order_by("date")
        .values_list("date", "is_working_day", "name", "source")
    )


def test_2027_before_and_after_import_with_complete(tmp_path):
    with pytest.raises(UnknownCalendarYear, match="2027年"):
        nth_working_day(date(2027, 2, 4), 3)

    out = run(write(tmp_path, CSV_2027), "--year", "2027", "--complete", "--source", "测试通知")

    assert "2027年：新增7天" in out
    assert "2027年已标记为完整" in out
    year = Year.objects.get(year=2027)
    assert (year.complete, year.source) == (True, "测试通知")
    # Thu Feb 4, Fri Feb 5 off, Feb 8–11 off, Fri Feb 12, Sat Feb 20 make-up.
    assert nth_working_day(date(2027, 2, 4), 1) == date(2027, 2, 4)
    assert nth_working_day(date(2027, 2, 4), 2) == date(2027, 2, 12)
    assert nth_working_day(date(2027, 2, 4), 3) == date(2027, 2, 15)
    assert is_working_day(date(2027, 2, 20))
    assert not is_working_day(date(2027, 1, 1))
    # The walk from late December 2026 now crosses into 2027.
    assert nth_working_day(date(2026, 12, 28), 5) == date(2027, 1, 4)
    actions = list(
        AuditEvent.objects.filter(target_id=str(year.pk)).values_list("action", flat=True)
    )
    assert actions == ["workdays.year_create", "workdays.import", "workdays.year_complete"]


def test_import_without_complete_keeps_the_year_unknown(tmp_path):
    out = run(write(tmp_path, CSV_2027))
    assert "尚未标记为完整" in out
    assert len(stored_2027()) == 7
    assert Year.objects.get(year=2027).complete is False
    with pytest.raises(UnknownCalendarYear):
        is_working_day(date(2027, 2, 12))


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, CSV_2027)
    run(path, "--year", "2027", "--complete", "--source", "测试通知")
    rows, events = stored_2027(), AuditEvent.objects.count()
    year = Year.objects.values().get(year=2027)

    out = run(path, "--year", "2027", "--complete", "--source", "测试通知")

    assert "新增0天，更新0天，未变7天" in out
    assert "没有任何变化" in out
    assert stored_2027() == rows
    assert AuditEvent.objects.count() == events
    assert Year.objects.values().get(year=2027) == year


def test_reimport_updates_changed_names_and_reports_days_not_in_file(tmp_path):
    run(write(tmp_path, CSV_2027))
    changed = CSV_2027.replace("2027-01-01,holiday,元旦", "2027-01-01,holiday,元旦节").replace(
        "2027-02-20,workday,春节调休上班\n", ""
    )
    out = run(write(tmp_path, changed, name="2027-v2.csv"), "--source", "新通知")
    assert "更新6天" in out  # the name of one day, the source of the others
    assert "另有1天不在文件中，已保留（2027-02-20）" in out
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "元旦节"
    assert CalendarDay.objects.filter(date=date(2027, 2, 20)).exists()

    out = run(write(tmp_path, changed, name="2027-v2.csv"), "--source", "新通知", "--replace")
    assert "删除1天" in out
    assert not CalendarDay.objects.filter(date=date(2027, 2, 20)).exists()


BAD = """date,kind,name
2027-01-01,holiday,元旦
2027-02-30,holiday,春节
2026-12-31,holiday,元旦
2027-02-06,holiday,春节
2027-02-10,workday,调休
2027-03-01,vacation,休假
2027-01-01,holiday,元旦
2027-05-06
"""


def test_bad_rows_are_reported_in_chinese_and_nothing_is_imported(tmp_path):
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError) as info:
        run(write(tmp_path, BAD), "--year", "2027", "--complete")
    message = str(info.value)
    assert message.splitlines() == [
        "2027.csv：7处错误，未导入任何数据。",
        "第3行：日期“2027-02-30”无效，应为YYYY-MM-DD格式的真实日期（如2027-10-01）。",
        "第4行：日期2026-12-31不属于指定的2027年（--year 2027）。",
        "第5行：2027-02-06是星期六，本来就是休息日，无需录入为节假日；只需录入落在星期一至星期五的节假日。",
        "第6行：2027-02-10是星期三，本来就是工作日；调休上班日只能是星期六或星期日。",
        "第7行：类型“vacation”无效，应为 holiday（放假）或 workday（调休上班）。",
        "第8行：日期2027-01-01与第2行重复。",
        "第9行：应有3列（date,kind,name），实际为1列。",
    ]
    assert stored_2027() == []
    assert not Year.objects.filter(year=2027).exists()
    assert AuditEvent.objects.count() == events


def test_one_bad_row_keeps_the_good_ones_out_too(tmp_path):
    text = CSV_2027 + "2027-10-10,holiday,国庆节\n"  # a Sunday
    with pytest.raises(CommandError, match="第9行：2027-10-10是星期日"):
        run(write(tmp_path, text), "--complete")
    assert stored_2027() == []


def test_a_file_without_the_header_is_refused(tmp_path):
    with pytest.raises(CommandError, match="第1行：表头应为“date,kind,name”"):
        run(write(tmp_path, "2027-01-01,holiday,元旦\n"))
    assert stored_2027() == []


def test_without_year_a_file_must_stay_in_one_year(tmp_path):
    text = CSV_2027 + "2028-01-03,holiday,元旦\n"
    with pytest.raises(
        CommandError, match="第9行：日期2028-01-03不属于2027年；一个文件只能录入一个年度"
    ):
        run(write(tmp_path, text))
    assert not CalendarDay.objects.filter(date__year__in=[2027, 2028]).exists()


def test_complete_is_refused_for_a_file_with_no_holiday(tmp_path):
    with pytest.raises(CommandError, match="2027年尚未录入任何节假日，不能标记为完整"):
        run(write(tmp_path, "date,kind,name\n2027-02-20,workday,春节调休上班\n"), "--complete")
    assert stored_2027() == []  # the whole import rolled back


def test_a_gb18030_file_from_excel_is_read(tmp_path):
    run(write(tmp_path, CSV_2027, encoding="gb18030"))
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).name == "春节调休上班"


def test_import_does_not_touch_other_years(tmp_path):
    before = CalendarDay.objects.exclude(year=2027).count()
    run(write(tmp_path, CSV_2027), "--complete")
    assert CalendarDay.objects.exclude(year=2027).count() == before


def test_the_example_file_is_labelled_and_valid_but_not_seeded():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "EXAMPLE" in text.splitlines()[0] and "示例" in text.splitlines()[0]
    parsed = parse_csv(text, year=2027)
    assert parsed.errors == []
    assert len(parsed.rows) > 10
    assert all("示例" in row.name for row in parsed.rows)
    assert not Year.objects.filter(year=2027).exists()


def test_the_import_is_attributed_to_the_named_user(tmp_path, django_user_model):
    from tests.factories import UserFactory

    user = UserFactory(username="calendar_keeper", is_staff=True, roles=["administrator"])
    run(write(tmp_path, CSV_2027), "--complete", "--by", "calendar_keeper")
    assert Year.objects.get(year=2027).entered_by == user
    assert set(
        AuditEvent.objects.filter(action__startswith="workdays.").values_list("actor", flat=True)
    ) == {user.pk}
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        run(write(tmp_path, CSV_2027), "--by", "nobody")


def test_undecodable_nul_and_oversized_files_are_refused_in_chinese(tmp_path):
    before = list(CalendarDay.objects.values_list("date", "is_working_day", "name"))
    path = tmp_path / "bad.csv"
    path.write_bytes(b"date,kind,name\n2027-10-01,holiday,\xff\xfe\x80\n")
    with pytest.raises(
        CommandError, match="bad.csv：无法识别文件编码，请另存为 UTF-8 编码的 CSV 文件"
    ):
        run(str(path))
    with pytest.raises(CommandError, match="第2行含有空字符（NUL）"):
        run(write(tmp_path, "date,kind,name\n2027-10-01,holiday,国庆\x00节\n"))
    huge = "x" * (csv.field_size_limit() + 1)
    with pytest.raises(CommandError, match="第2行无法解析：单元格过长"):
        run(write(tmp_path, f'date,kind,name\n2027-10-01,holiday,"{huge}"\n'))
    with pytest.raises(CommandError, match="文件超过2000行"):
        run(write(tmp_path, "date,kind,name\n" + "# comment\n" * 2500))
    assert list(CalendarDay.objects.values_list("date", "is_working_day", "name")) == before
