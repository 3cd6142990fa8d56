"""Parse and validate a calendar CSV (``date,kind,name``) before anything is written.

Every row is checked; the caller imports nothing unless ``errors`` is empty.
Lines that are blank or whose first cell starts with ``#`` are comments.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from .models import MAX_YEAR, MIN_YEAR, day_problem
from .services import DayRow

HEADER = ["date", "kind", "name"]
KINDS = {"holiday": False, "workday": True}
DEFAULT_NAMES = {False: "节假日", True: "调休上班"}
NAME_MAX = 100


@dataclass
class ParsedFile:
    year: int | None
    year_given: bool = False
    rows: list[DayRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# A year has at most 366 days; a longer file is not a calendar (and is not read in full).
MAX_LINES = 2000


class UndecodableFile(ValueError):
    """The bytes are neither UTF-8 nor GB18030; the message is for the user, in Chinese."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); GB18030 as saved by Chinese Excel otherwise."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UndecodableFile("无法识别文件编码，请另存为 UTF-8 编码的 CSV 文件。")


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_csv(text: str, *, year: int | None = None) -> ParsedFile:
    result = ParsedFile(year=year, year_given=year is not None)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        result.errors.append(f"年份{year}超出范围（{MIN_YEAR}–{MAX_YEAR}）。")
        return result
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        result.errors.append(f"第{line}行含有空字符（NUL），请删除后重新导入。")
        return result
    reader = csv.reader(io.StringIO(text))
    header_seen = False
    seen: dict[date, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            result.errors.append(
                f"第{reader.line_num}行无法解析：单元格过长（超过{csv.field_size_limit()}个字符）"
                "或引号不配对。"
            )
            return result
        line = reader.line_num
        if line > MAX_LINES:
            result.errors.append(f"文件超过{MAX_LINES}行，不是一个年度的日历。")
            return result
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if [c.lower() for c in cells] != HEADER:
                result.errors.append(
                    f"第{line}行：表头应为“date,kind,name”，实际为“{','.join(cells)}”。"
                )
                return result
            continue
        problem = _check_row(cells, line, result, seen)
        if problem:
            result.errors.append(f"第{line}行：{problem}")
    if not header_seen:
        result.errors.append("文件为空：应有表头“date,kind,name”和至少一行日期。")
    elif not result.rows and not result.errors:
        result.errors.append("文件中没有任何日期行。")
    return result


def _check_row(cells: list[str], line: int, result: ParsedFile, seen: dict) -> str | None:
    if len(cells) != 3:
        return f"应有3列（date,kind,name），实际为{len(cells)}列。"
    text, kind, name = cells
    day = _parse_date(text)
    if day is None:
        return f"日期“{text}”无效，应为YYYY-MM-DD格式的真实日期（如2027-10-01）。"
    if kind.lower() not in KINDS:
        return f"类型“{kind}”无效，应为 holiday（放假）或 workday（调休上班）。"
    if result.year is None:
        result.year = day.year
    if day.year != result.year:
        if result.year_given:
            return f"日期{day.isoformat()}不属于指定的{result.year}年（--year {result.year}）。"
        return f"日期{day.isoformat()}不属于{result.year}年；一个文件只能录入一个年度。"
    is_working_day = KINDS[kind.lower()]
    problem = day_problem(day, is_working_day)
    if problem:
        return problem
    if day in seen:
        return f"日期{day.isoformat()}与第{seen[day]}行重复。"
    if len(name) > NAME_MAX:
        return f"名称超过{NAME_MAX}个字。"
    seen[day] = line
    result.rows.append(
        DayRow(date=day, is_working_day=is_working_day, name=name or DEFAULT_NAMES[is_working_day])
    )
    return None
