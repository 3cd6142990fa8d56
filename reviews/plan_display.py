"""Read-only display of a frozen plan version for experts (the plan schema of the briefing).

Known keys get Chinese labels (domain terms of the regulation); unknown keys are
shown as they are, so nothing the applicant wrote is hidden from the panel.
"""

SECTIONS = [
    ("lead", "牵头单位"),
    ("cobuilders", "共建单位"),
    ("director", "中心主任"),
    ("team", "团队"),
    ("achievements", "自主知识产权成果"),
    ("facilities", "科研条件"),
    ("governance", "法人形式与运行机制"),
    ("investment", "投入承诺与公共服务"),
    ("targets", "三年建设目标"),
    ("declaration", "合规声明"),
]

LABELS = {
    "headquarters": "中心（本部）",
    "rd_institutions": "专业化创新研发机构",
    "profile": "简介",
    "items": "明细",
    "name": "名称",
    "address": "地址",
    "area_m2": "使用面积（平方米）",
    "city": "城市",
    "focus": "方向",
    "credit_code": "统一社会信用代码",
    "org_type": "单位类型",
    "mode": "共建方式",
    "contribution": "承担任务",
    "title": "职称/名称",
    "title_level": "职称级别",
    "position": "职务",
    "field": "领域",
    "resume": "简历",
    "size": "团队规模（人）",
    "composition": "人员构成",
    "key_members": "核心成员",
    "role": "分工",
    "kind": "类别",
    "number": "编号",
    "date": "日期",
    "market_prospects": "市场前景",
    "equipment_value_wan": "仪器设备原值（万元）",
    "major_instruments": "主要仪器设备",
    "venues": "场地",
    "legal_entity_type": "法人形式",
    "transition_plan": "过渡方案",
    "council": "理事会（董事会）",
    "director_system": "中心主任负责制",
    "expert_committee": "专家委员会",
    "charter": "章程",
    "lead_commitment_wan": "牵头单位投入（万元）",
    "cobuilder_commitments": "共建单位投入",
    "amount_wan": "金额（万元）",
    "public_services": "公共服务",
    "label": "指标",
    "unit": "单位",
    "baseline": "现状",
    "target": "三年目标",
    "compliant": "已声明合规",
    "signed_by": "签署人",
    "signed_on": "签署日期",
}

VALUES = {
    "title_level": {
        "senior_full": "正高级",
        "senior_deputy": "副高级",
        "intermediate": "中级",
        "other": "其他",
    },
    "mode": {"membership": "会员制", "shareholding": "股份制", "agreement": "协议制"},
    "kind": {
        "patent": "专利",
        "standard": "标准",
        "software": "软件著作权",
        "other": "其他",
        "comprehensive": "综合类",
        "domain": "领域类",
    },
    "legal_entity_type": {
        "enterprise": "企业",
        "social_service_organization": "社会服务机构",
        "internal_unit_in_transition": "内设机构（向独立法人过渡）",
    },
    "org_type": {
        "enterprise": "企业",
        "university": "高等院校",
        "research_institute": "科研院所",
        "technical_institution": "技术机构",
        "new_rd_institution": "新型研发机构",
    },
}


def text(key, value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(text(key, v) for v in value) or "—"
    return str(VALUES.get(key, {}).get(value, value))


# Internal identifiers of list rows: the row's label says what the row is.
HIDDEN_COLUMNS = {"key"}


def _with_label(entry: dict) -> dict:
    """A target row named by its Chinese label, never by its code (``rd_spending_wan``)."""
    from applications.sections import STANDARD_TARGETS

    key = entry.get("key")
    standard = {k: (label, unit) for k, label, unit in STANDARD_TARGETS}
    if key in standard and not entry.get("label"):
        label, unit = standard[key]
        entry = {"label": label, "unit": entry.get("unit") or unit, **entry}
    return entry


def rows(value) -> list[dict]:
    out = []
    if not isinstance(value, dict):
        return out
    for key, item in value.items():
        label = LABELS.get(key, key)
        if isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            item = [_with_label(entry) for entry in item]
            columns = []
            for entry in item:
                columns += [k for k in entry if k not in columns and k not in HIDDEN_COLUMNS]
            out.append(
                {
                    "label": label,
                    "headers": [LABELS.get(c, c) for c in columns],
                    "table": [[text(c, entry.get(c)) for c in columns] for entry in item],
                }
            )
        elif isinstance(item, dict):
            out.append({"label": label, "rows": rows(item)})
        else:
            out.append({"label": label, "text": text(key, item)})
    return out


def plan_sections(data: dict) -> list[dict]:
    data = data or {}
    org = data.get("organization") or {}
    field = data.get("industry_field") or {}
    basics = [
        {"label": "中心名称", "text": data.get("full_name") or "—"},
        {"label": "类别", "text": text("kind", data.get("kind"))},
        {"label": "产业领域", "text": field.get("name") or "—"},
        {"label": "战略区域", "text": text("", data.get("strategic_areas") or [])},
        {"label": "牵头单位", "text": org.get("name") or "—"},
        {"label": "统一社会信用代码", "text": org.get("credit_code") or "—"},
        {"label": "组织管理部门", "text": data.get("department") or "—"},
    ]
    plan = data.get("plan") or {}
    sections = [{"key": "basics", "title": "基本信息", "rows": basics}]
    known = {k for k, _t in SECTIONS}
    sections += [{"key": k, "title": t, "rows": rows(plan.get(k))} for k, t in SECTIONS]
    sections += [{"key": k, "title": k, "rows": rows(plan[k])} for k in plan if k not in known]
    return sections
