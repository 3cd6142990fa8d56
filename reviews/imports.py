"""Import the expert pool from CSV or XLSX, row by row.

A bad row is reported (row number and each problem, in the page's language) and skipped;
good rows are saved, each in its own savepoint, through ``services.expert_save``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import credit_code
from centers.models import IndustryField
from documents.languages import punct
from reviews.services.common import ReviewError

from .models import ExpertKind, ExpertProfile
from .services import pool

# Column headers accepted (Chinese as in the template, or the English field names).
COLUMNS = {
    "username": ("用户名", "username"),
    "full_name": ("姓名", "name", "full_name"),
    "kind": ("专家类别", "kind"),
    "fields": ("产业领域", "industry_fields", "fields"),
    "specialty": ("专业方向", "specialty"),
    "employer_name": ("工作单位", "employer", "employer_name"),
    "employer_credit_code": ("单位统一社会信用代码", "统一社会信用代码", "employer_credit_code"),
    "title": ("职称", "title"),
    "phone": ("联系电话", "phone"),
    "email": ("电子邮箱", "email"),
    "is_active": ("状态", "is_active", "active"),
    "avoid": ("回避单位", "avoid", "avoid_organizations"),
}
TEMPLATE_HEADERS = [names[0] for names in COLUMNS.values()]
REQUIRED = ("username", "full_name", "kind", "employer_name")

KIND_WORDS = {
    "technical": ExpertKind.TECHNICAL,
    "技术": ExpertKind.TECHNICAL,
    "技术专家": ExpertKind.TECHNICAL,
    "management": ExpertKind.MANAGEMENT,
    "管理": ExpertKind.MANAGEMENT,
    "管理专家": ExpertKind.MANAGEMENT,
    "financial": ExpertKind.FINANCIAL,
    "财务": ExpertKind.FINANCIAL,
    "财务专家": ExpertKind.FINANCIAL,
}
ACTIVE_WORDS = {"": True, "在库": True, "启用": True, "是": True, "1": True, "true": True}
INACTIVE_WORDS = {"停用": False, "否": False, "0": False, "false": False}
SPLIT = re.compile(r"[;；,，、\n]+")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return len(self.created) + len(self.updated)


class ImportFileError(Exception):
    pass


def limits() -> tuple[int, int]:
    """(data rows, columns) an import accepts; settings IMPORT_MAX_ROWS, IMPORT_MAX_COLS."""
    return (
        int(getattr(settings, "IMPORT_MAX_ROWS", 5000)),
        int(getattr(settings, "IMPORT_MAX_COLS", 50)),
    )


def _too_big(max_rows: int, max_cols: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The file is over the import limit: at most %(rows)s rows of data (without the "
            "header) and %(cols)s columns. Split it and import the parts one after another."
        )
        % {"rows": max_rows, "cols": max_cols}
    )


def read_rows(upload) -> list[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {column key: text}) for each non-empty row.

    Rows are streamed and bounded (``limits()``): a file beyond them is refused as soon as
    that is known, never expanded in memory.
    """
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    raw = upload.read()
    if name.endswith(".xlsx") or raw[:4] == b"PK\x03\x04":
        table = _xlsx_rows(raw)
    elif name.endswith(".csv") or not name:
        table = _csv_rows(raw)
    else:
        raise ImportFileError(_("Only CSV or XLSX files can be imported."))
    max_rows, max_cols = limits()
    table = _bounded(table, max_rows, max_cols)
    header = next(table, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    headers = [_cell(h) for h in header]
    index = {}
    for key, names in COLUMNS.items():
        for i, header_text in enumerate(headers):
            if header_text in names:
                index[key] = i
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in index]
    if missing:
        raise ImportFileError(
            _(
                "Required columns are missing: %(missing)s. The first row must be the header: %(header)s"
            )
            % {
                "missing": punct("、").join(missing),
                "header": punct("，").join(TEMPLATE_HEADERS),
            }
        )
    rows = []
    for number, cells in enumerate(table, start=2):
        values = {key: _cell(cells[i]) if i < len(cells) else "" for key, i in index.items()}
        if any(values.values()):
            rows.append((number, values))
    return rows


# Blank rows tolerated past the row limit (Excel keeps formatted empty rows) before a file
# is refused without reading further.
BLANK_TAIL = 1000


def _bounded(table: Iterator[Sequence], max_rows: int, max_cols: int) -> Iterator[Sequence]:
    """Yield the header and data rows; refuse a row past the limits that holds anything."""
    for position, cells in enumerate(table):
        if position > max_rows + BLANK_TAIL:
            raise _too_big(max_rows, max_cols)
        filled = [i for i, value in enumerate(cells) if _cell(value)]
        if filled and (position > max_rows or filled[-1] >= max_cols):
            raise _too_big(max_rows, max_cols)
        yield cells[:max_cols]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file's encoding is not recognised; save it as a UTF-8 CSV file."))


def _csv_rows(raw: bytes) -> Iterator[list[str]]:
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error as exc:
        limit = csv.field_size_limit()
        raise ImportFileError(
            _(
                "Row %(row)s cannot be read: a cell is too long (over %(limit)s characters) "
                "or its quotes do not match."
            )
            % {"row": reader.line_num, "limit": limit}
        ) from exc


def _xlsx_rows(raw: bytes) -> Iterator[tuple]:
    from openpyxl import load_workbook

    _check_zip(raw)
    max_rows, max_cols = limits()
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(
            _("This XLSX file cannot be read; check that it is not damaged.")
        ) from exc
    # The <dimension> element is the file's own claim; a claim beyond the limits is refused
    # at once, and the claim is then dropped so that nothing is padded to it.
    claimed_rows, claimed_cols = sheet.max_row or 0, sheet.max_column or 0
    if claimed_rows > max_rows + 1 + BLANK_TAIL or claimed_cols > max_cols:
        book.close()
        raise _too_big(max_rows, max_cols)
    sheet.reset_dimensions()
    try:
        # max_col bounds each row's width; one column past the limit shows an overflow.
        yield from sheet.iter_rows(max_col=max_cols + 1, values_only=True)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("This XLSX file cannot be read; check that it is not damaged.")
        ) from exc
    finally:
        book.close()


def _check_zip(raw: bytes) -> None:
    """Refuse an XLSX whose parts would inflate beyond IMPORT_MAX_UNCOMPRESSED_BYTES.

    zipfile never inflates a member past its declared size (it fails the CRC check instead),
    so the declared sizes bound what openpyxl will read.
    """
    limit = int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 20 * 1024 * 1024))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportFileError(
            _("This XLSX file cannot be read; check that it is not damaged.")
        ) from exc
    if len(infos) > 1000 or sum(info.file_size for info in infos) > limit:
        raise ImportFileError(
            _(
                "Unpacked, this XLSX file is over %(mb)s MB; remove what is not needed or "
                "split it, then import again."
            )
            % {"mb": limit // (1024 * 1024)}
        )


def _too_long(values: dict[str, str]):
    """Cells longer than the expert form (and so the column) accepts: a row problem, not a 500."""
    from .forms import ExpertForm

    for key, form_field in ExpertForm.base_fields.items():
        limit = getattr(form_field, "max_length", None)
        value = values.get(key) or ""
        if limit and key in COLUMNS and len(value) > limit:
            yield _("“%(column)s” may have at most %(limit)s characters (it has %(length)s).") % {
                "column": COLUMNS[key][0],
                "limit": limit,
                "length": len(value),
            }


def parse_row(values: dict[str, str], fields_by_key: dict[str, IndustryField]):
    """Validate one row; return (kwargs for expert_save, problems)."""
    problems = []
    for key, value in list(values.items()):
        if "\x00" in value:  # PostgreSQL refuses NUL in text
            problems.append(
                _("“%(column)s” contains a null character (NUL); remove it and import again.")
                % {"column": COLUMNS[key][0]}
            )
            values[key] = value.replace("\x00", "")
    for key in REQUIRED:
        if not values.get(key):
            problems.append(_("“%(column)s” may not be empty.") % {"column": COLUMNS[key][0]})
    username = values.get("username", "")
    if username and not USERNAME.match(username):
        problems.append(_("A user name may contain only letters, digits and @/./+/-/_."))
    kind = KIND_WORDS.get(values.get("kind", "").lower()) or KIND_WORDS.get(values.get("kind", ""))
    if values.get("kind") and kind is None:
        problems.append(
            _("Expert kind “%(kind)s” is not recognised; use technical, management or financial.")
            % {"kind": values["kind"]}
        )
    code = values.get("employer_credit_code", "").upper()
    if code and (msg := credit_code.problem(code)):
        problems.append(_("Employer's unified social credit code: %(problem)s") % {"problem": msg})
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("E-mail “%(email)s” is not a valid address.") % {"email": email})
    fields = []
    for word in SPLIT.split(values.get("fields", "")):
        word = word.strip()
        if not word:
            continue
        found = fields_by_key.get(word) or fields_by_key.get(word.upper())
        if found is None:
            problems.append(_("Industry field “%(field)s” does not exist.") % {"field": word})
        else:
            fields.append(found)
    state = values.get("is_active", "").lower()
    if state in ACTIVE_WORDS:
        active = True
    elif state in INACTIVE_WORDS:
        active = False
    else:
        active = True
        problems.append(
            _("Status “%(status)s” is not recognised; use true (in the pool) or false (inactive).")
            % {"status": values["is_active"]}
        )
    avoid = []
    for entry in SPLIT.split(values.get("avoid", "")):
        entry = entry.strip()
        if not entry:
            continue
        name, _sep, entry_code = entry.partition("|")
        avoid.append({"name": name.strip(), "credit_code": entry_code.strip().upper()})
    problems.extend(_too_long(values))
    kwargs = {
        "username": username,
        "full_name": values.get("full_name", ""),
        "industry_fields": fields,
        "kind": kind.value if kind else "",
        "specialty": values.get("specialty", ""),
        "employer_name": values.get("employer_name", ""),
        "employer_credit_code": code,
        "title": values.get("title", ""),
        "phone": values.get("phone", ""),
        "email": email,
        "is_active": active,
        "avoid_organizations": avoid,
    }
    return kwargs, problems


def import_experts(*, actor, upload) -> ImportReport:
    """Import every good row; report each bad one. Raises ImportFileError for an unreadable file."""
    rows = read_rows(upload)
    fields_by_key = {}
    for f in IndustryField.objects.all():
        fields_by_key[f.code] = f
        fields_by_key[f.name] = f
    report = ImportReport()
    for number, values in rows:
        kwargs, problems = parse_row(values, fields_by_key)
        if problems:
            report.errors.append((number, problems))
            continue
        existing = ExpertProfile.objects.filter(user__username=kwargs["username"]).first()
        try:
            with transaction.atomic():
                pool.expert_save(
                    actor=actor, profile_id=existing.pk if existing else None, **kwargs
                )
        except ReviewError as exc:
            report.errors.append((number, exc.messages))
            continue
        except ValidationError as exc:
            report.errors.append((number, [m for msgs in exc.message_dict.values() for m in msgs]))
            continue
        (report.updated if existing else report.created).append(kwargs["username"])
    return report
