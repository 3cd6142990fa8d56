"""The sections of a construction plan (建设方案): one definition serves the forms,
the read-only display, the completeness check and the version comparison.

Keys follow the plan JSON schema of the team briefing. ``basics`` (model
columns) and ``attachments`` (files) are sections too but are not stored in
``Application.plan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

COMPREHENSIVE = "comprehensive"
DOMAIN = "domain"
BOTH = frozenset({COMPREHENSIVE, DOMAIN})

TITLE_LEVELS = [
    ("senior_full", "正高级"),
    ("senior_deputy", "副高级"),
    ("intermediate", "中级"),
    ("other", "其他"),
]
CO_BUILDING_MODES = [("membership", "会员制"), ("shareholding", "股份制"), ("agreement", "协议制")]
ACHIEVEMENT_KINDS = [
    ("patent", "专利"),
    ("standard", "标准"),
    ("software", "软件著作权"),
    ("other", "其他"),
]
LEGAL_ENTITY_TYPES = [
    ("enterprise", "企业"),
    ("social_service_organization", "社会服务机构"),
    ("internal_unit_in_transition", "内设机构（向独立法人实体过渡）"),
]
ORG_TYPES = [
    ("enterprise", "企业"),
    ("university", "高等院校"),
    ("research_institute", "科研院所"),
    ("technical_institution", "技术机构"),
    ("new_rd_institution", "新型研发机构"),
    ("other", "其他"),
]
PUBLIC_SERVICES = [
    "技术委托研发",
    "标准制定和实验验证",
    "检验检测",
    "企业孵化",
    "人员培训",
    "市场信息服务",
    "成果评价",
    "科技咨询",
]
STANDARD_TARGETS = [
    ("rd_spending_wan", "研发投入", "万元"),
    ("staff", "人员", "人"),
    ("patents", "专利", "件"),
    ("standards", "标准", "项"),
    ("incubated_enterprises", "孵化企业", "家"),
    ("service_income_wan", "技术服务收入", "万元"),
]
STANDARD_TARGET_KEYS = [k for k, _l, _u in STANDARD_TARGETS]
STANDARD_LABELS = {k: label for k, label, _u in STANDARD_TARGETS}


@dataclass(frozen=True)
class Field:
    key: str  # dotted path inside the section, e.g. "headquarters.area_m2"
    label: str
    kind: str = "text"  # text longtext number int choice bool date multi credit_code
    choices: tuple = ()
    required_for: frozenset = BOTH  # kinds for which the field must be filled at submit
    shown_for: frozenset = BOTH

    @property
    def name(self) -> str:
        return self.key.replace(".", "__")

    def display(self, value) -> str:
        if value in (None, "", []):
            return ""
        if self.kind == "choice":
            return dict(self.choices).get(value, str(value))
        if self.kind == "multi":
            return "、".join(str(v) for v in value)
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind in ("number", "int"):
            return format_number(value)
        return str(value)


@dataclass(frozen=True)
class ListSpec:
    key: str  # dotted path of the list inside the section
    label: str
    columns: tuple
    identity: tuple  # column keys that identify a row when comparing versions
    min_rows_for: frozenset = frozenset()  # kinds that need at least one row
    shown_for: frozenset = BOTH
    required_columns: tuple = ()

    @property
    def prefix(self) -> str:
        return self.key.replace(".", "__")


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    fields: tuple = ()
    lists: tuple = ()
    in_plan: bool = True
    optional: bool = False
    help: str = ""
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def fields_for(self, kind):
        return [f for f in self.fields if kind in f.shown_for]

    def lists_for(self, kind):
        return [x for x in self.lists if kind in x.shown_for]


def format_number(value) -> str:
    if isinstance(value, bool):
        return str(value)
    try:
        d = Decimal(str(value))
    except Exception:
        return str(value)
    d = d.normalize()
    text = format(d, "f")
    return text


def to_json_number(value):
    """Decimal/int from a form -> int when integral, float otherwise (JSON-friendly)."""
    if value is None or value == "":
        return None
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def get_path(data: dict, key: str):
    cur = data
    for part in key.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def set_path(data: dict, key: str, value) -> None:
    parts = key.split(".")
    cur = data
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value


ONLY_COMPREHENSIVE = frozenset({COMPREHENSIVE})
ONLY_DOMAIN = frozenset({DOMAIN})
NOBODY = frozenset()

BASICS = Section(
    code="basics",
    title="基本信息",
    in_plan=False,
    help="拟建中心名称、类别、所属产业领域或战略区域、组织管理部门。",
)

LEAD = Section(
    code="lead",
    title="牵头单位",
    fields=(
        Field("profile", "牵头单位简介（资源整合能力、技术转移扩散能力）", "longtext"),
        Field(
            "headquarters.name",
            "中心（本部）名称",
            required_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
        ),
        Field(
            "headquarters.address",
            "中心（本部）地址",
            required_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
        ),
        Field(
            "headquarters.area_m2",
            "中心（本部）使用面积（平方米）",
            "number",
            required_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
        ),
    ),
    lists=(
        ListSpec(
            "rd_institutions",
            "专业化创新研发机构",
            columns=(
                Field("name", "机构名称"),
                Field("city", "所在城市"),
                Field("focus", "研发方向"),
            ),
            identity=("name",),
            min_rows_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
            required_columns=("name", "city", "focus"),
        ),
    ),
)

COBUILDERS = Section(
    code="cobuilders",
    title="共建单位",
    optional=True,
    help="参与共建的企业、高等学校、科研院所等及其共建方式（第十二条）。可不填。",
    lists=(
        ListSpec(
            "items",
            "共建单位",
            columns=(
                Field("name", "单位名称"),
                Field("credit_code", "统一社会信用代码", "credit_code"),
                Field("org_type", "单位类型", "choice", tuple(ORG_TYPES)),
                Field("mode", "共建方式", "choice", tuple(CO_BUILDING_MODES)),
                Field("contribution", "投入与分工"),
            ),
            identity=("credit_code", "name"),
            required_columns=("name", "credit_code", "org_type", "mode", "contribution"),
        ),
    ),
)

DIRECTOR = Section(
    code="director",
    title="中心主任",
    fields=(
        Field("name", "姓名"),
        Field("title", "专业技术职称"),
        Field("title_level", "职称级别", "choice", tuple(TITLE_LEVELS)),
        Field("position", "现任职务"),
        Field("field", "专业领域"),
        Field("resume", "个人简历", "longtext"),
    ),
)

TEAM = Section(
    code="team",
    title="科研团队",
    fields=(
        Field("size", "团队人数", "int"),
        Field("composition", "人员构成", "longtext"),
    ),
    lists=(
        ListSpec(
            "key_members",
            "核心成员",
            columns=(Field("name", "姓名"), Field("title", "职称"), Field("role", "承担任务")),
            identity=("name",),
            min_rows_for=BOTH,
            required_columns=("name", "title", "role"),
        ),
    ),
)

ACHIEVEMENTS = Section(
    code="achievements",
    title="自主知识产权成果",
    fields=(Field("market_prospects", "市场前景", "longtext"),),
    lists=(
        ListSpec(
            "items",
            "成果",
            columns=(
                Field("kind", "类型", "choice", tuple(ACHIEVEMENT_KINDS)),
                Field("title", "名称"),
                Field("number", "编号（专利号、标准号、登记号）"),
                Field("date", "日期", "date"),
            ),
            identity=("kind", "number", "title"),
            min_rows_for=BOTH,
            required_columns=("kind", "title", "number", "date"),
        ),
    ),
)

FACILITIES = Section(
    code="facilities",
    title="基础条件",
    fields=(
        Field("area_m2", "使用面积（平方米）", "number", required_for=ONLY_DOMAIN),
        Field("equipment_value_wan", "仪器设备原值（万元）", "number"),
        Field("major_instruments", "主要仪器设备", "longtext"),
        Field("venues", "服务场所", "longtext"),
    ),
)

GOVERNANCE = Section(
    code="governance",
    title="法人实体与治理结构",
    fields=(
        Field("legal_entity_type", "法人实体类型", "choice", tuple(LEGAL_ENTITY_TYPES)),
        Field(
            "transition_plan",
            "向独立法人实体过渡的计划（内设机构填写）",
            "longtext",
            required_for=NOBODY,
        ),
        Field("council", "理事会（董事会）决策制", "longtext"),
        Field("director_system", "中心主任（总经理）负责制", "longtext"),
        Field("expert_committee", "专家委员会咨询制", "longtext"),
        Field("charter", "章程要点", "longtext"),
    ),
)

INVESTMENT = Section(
    code="investment",
    title="投入与公共服务",
    fields=(
        Field("lead_commitment_wan", "牵头单位承诺投入（万元）", "number"),
        Field(
            "public_services",
            "对外提供的公共服务（第十三条）",
            "multi",
            tuple((s, s) for s in PUBLIC_SERVICES),
        ),
    ),
    lists=(
        ListSpec(
            "cobuilder_commitments",
            "共建单位承诺投入",
            columns=(Field("name", "共建单位"), Field("amount_wan", "金额（万元）", "number")),
            identity=("name",),
            required_columns=("name", "amount_wan"),
        ),
    ),
)

TARGETS = Section(
    code="targets",
    title="三年建设目标",
    help="六项标准指标须填写现状值和三年目标值；可增加其他指标。",
    lists=(
        ListSpec(
            "items",
            "目标",
            columns=(
                Field("label", "指标"),
                Field("unit", "单位"),
                Field("baseline", "现状值", "number"),
                Field("target", "三年目标值", "number"),
            ),
            identity=("key",),
            required_columns=("label", "baseline", "target"),
        ),
    ),
)

DECLARATION = Section(
    code="declaration",
    title="合规声明",
    help="本单位符合国家和我省产业政策，不存在重大安全、重大质量、严重环境问题或违法失信情况（第八条第四项）。",
    fields=(
        Field("compliant", "我单位承诺上述声明属实", "bool"),
        Field("signed_by", "声明人（法定代表人）"),
        Field("signed_on", "声明日期", "date"),
    ),
)

ATTACHMENTS = Section(code="attachments", title="附件", in_plan=False)

SECTIONS: tuple[Section, ...] = (
    BASICS,
    LEAD,
    COBUILDERS,
    DIRECTOR,
    TEAM,
    ACHIEVEMENTS,
    FACILITIES,
    GOVERNANCE,
    INVESTMENT,
    TARGETS,
    DECLARATION,
    ATTACHMENTS,
)
BY_CODE = {s.code: s for s in SECTIONS}
PLAN_SECTIONS = tuple(s for s in SECTIONS if s.in_plan)


def get(code: str) -> Section:
    return BY_CODE[code]


# ---- reading a plan --------------------------------------------------------


def rows(section_data: dict, spec: ListSpec) -> list[dict]:
    value = get_path(section_data or {}, spec.key)
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def default_targets() -> list[dict]:
    return [
        {"key": k, "label": label, "unit": unit, "baseline": None, "target": None}
        for k, label, unit in STANDARD_TARGETS
    ]


def target_rows(section_data: dict) -> list[dict]:
    """Target rows with the six standard keys always first (pre-filled when missing)."""
    existing = {r.get("key"): r for r in rows(section_data, TARGETS.lists[0])}
    out = []
    for k, label, unit in STANDARD_TARGETS:
        row = dict(existing.get(k) or {})
        row.update({"key": k, "label": label, "unit": unit})
        row.setdefault("baseline", None)
        row.setdefault("target", None)
        out.append(row)
    out.extend(
        r for r in rows(section_data, TARGETS.lists[0]) if r.get("key") not in STANDARD_TARGET_KEYS
    )
    return out


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def missing(section: Section, plan: dict, kind: str) -> list[str]:
    """Chinese descriptions of what a plan section still lacks for submission."""
    data = plan.get(section.code) or {}
    out = []
    for f in section.fields_for(kind):
        if kind in f.required_for and _empty(get_path(data, f.key)):
            out.append(f.label)
    if (
        section.code == "governance"
        and data.get("legal_entity_type") == ("internal_unit_in_transition")
        and _empty(data.get("transition_plan"))
    ):
        out.append("向独立法人实体过渡的计划")
    for spec in section.lists_for(kind):
        items = target_rows(data) if section is TARGETS else rows(data, spec)
        if kind in spec.min_rows_for and not items:
            out.append(f"至少一项{spec.label}")
        for i, row in enumerate(items, start=1):
            gaps = [
                c.label
                for c in spec.columns
                if c.key in spec.required_columns and _empty(row.get(c.key))
            ]
            if gaps:
                name = row.get("label") if section is TARGETS else f"第{i}行"
                out.append(f"{spec.label}「{name}」的" + "、".join(gaps))
    return out


def display(section: Section, plan: dict, kind: str) -> dict:
    """A read-only rendering of a plan section: fields (label, value) and tables."""
    data = plan.get(section.code) or {}
    fields = [(f.label, f.display(get_path(data, f.key))) for f in section.fields_for(kind)]
    tables = []
    for spec in section.lists_for(kind):
        items = target_rows(data) if section is TARGETS else rows(data, spec)
        tables.append(
            {
                "label": spec.label,
                "headers": [c.label for c in spec.columns],
                "rows": [[c.display(r.get(c.key)) for c in spec.columns] for r in items],
            }
        )
    return {"code": section.code, "title": section.title, "fields": fields, "tables": tables}
