"""The random panel draw (DESIGN §2.2): conflicts are excluded first, then experts
are drawn at random per kind. ``pick`` is a pure function of the recorded
candidates, wanted numbers and seed, so any draw can be reproduced.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import ExpertKind, ExpertProfile

KIND_ORDER = [k.value for k in (ExpertKind.TECHNICAL, ExpertKind.MANAGEMENT, ExpertKind.FINANCIAL)]

KIND_NAMES = {"technical": "技术专家", "management": "管理专家", "financial": "财务专家"}

_SPACES = re.compile(r"[\s（）()·・,，.。]")


def normalize_name(name: str) -> str:
    return _SPACES.sub("", (name or "").strip()).lower()


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


@dataclass(frozen=True)
class Party:
    """An organization the plan involves: the lead organization or a co-builder."""

    role: str  # 牵头单位 / 共建单位
    name: str
    credit_code: str

    def matches(self, name: str, credit_code: str) -> bool:
        a, b = normalize_code(self.credit_code), normalize_code(credit_code)
        if a and b:
            return a == b
        # fall back to names when either side has no credit code
        return bool(normalize_name(name)) and normalize_name(name) == normalize_name(self.name)


def parties_of(data: dict) -> list[Party]:
    """Lead organization and co-builders from version data (or the same shape built from the live application)."""
    org = data.get("organization") or {}
    parties = [Party("牵头单位", org.get("name", ""), org.get("credit_code", ""))]
    plan = data.get("plan") or {}
    for item in (plan.get("cobuilders") or {}).get("items") or []:
        if isinstance(item, dict) and (item.get("name") or item.get("credit_code")):
            parties.append(Party("共建单位", item.get("name", ""), item.get("credit_code", "")))
    return parties


def avoid_lines(text: str) -> list[str]:
    return [normalize_name(line) for line in re.split(r"[\n;；,，、]", text or "") if line.strip()]


@dataclass
class Eligibility:
    candidates: dict[str, list[int]] = field(default_factory=dict)
    exclusions: list[dict] = field(default_factory=list)


def conflict_reasons(
    expert: ExpertProfile,
    *,
    parties: list[Party],
    field_id: int | None,
    avoid: list[str],
    field_ids: set[int],
) -> list[str]:
    reasons = []
    if not expert.is_active or not expert.user.is_active:
        reasons.append("专家已停用")
    for party in parties:
        if party.matches(expert.employer_name, expert.employer_credit_code):
            reasons.append(f"受聘于{party.role}「{party.name or party.credit_code}」")
    for entry in expert.avoid_organizations or []:
        if not isinstance(entry, dict):
            continue
        for party in parties:
            if party.matches(entry.get("name", ""), entry.get("credit_code", "")):
                reasons.append(f"本人回避名单包含{party.role}「{party.name or party.credit_code}」")
    names = {normalize_name(expert.name), normalize_name(expert.employer_name)}
    if any(line in names for line in avoid):
        reasons.append("申报单位申请回避")
    if expert.kind == ExpertKind.TECHNICAL and field_id is not None and field_id not in field_ids:
        reasons.append("技术专家的产业领域与建设方案不符")
    return reasons


def eligibility(
    *, data: dict, field_id: int | None, avoid_request: str = "", exclude_ids=()
) -> Eligibility:
    """Sort the pool into eligible candidates per kind and exclusions with reasons."""
    parties = parties_of(data)
    avoid = avoid_lines(avoid_request)
    result = Eligibility(candidates={k: [] for k in KIND_ORDER})
    experts = (
        ExpertProfile.objects.select_related("user")
        .prefetch_related("industry_fields")
        .exclude(pk__in=list(exclude_ids))
        .order_by("pk")
    )
    for expert in experts:
        field_ids = {f.pk for f in expert.industry_fields.all()}
        reasons = conflict_reasons(
            expert, parties=parties, field_id=field_id, avoid=avoid, field_ids=field_ids
        )
        if reasons:
            result.exclusions.append(
                {"expert": expert.pk, "name": expert.name, "kind": expert.kind, "reasons": reasons}
            )
        else:
            result.candidates[expert.kind].append(expert.pk)
    return result


def shortfalls(candidates: dict[str, list[int]], wanted: dict[str, int]) -> list[str]:
    """The messages (in the request's language) of each kind the pool cannot fill."""
    out = []
    for kind in KIND_ORDER:
        need, have = wanted.get(kind, 0), len(candidates.get(kind, []))
        if need > have:
            out.append(
                _(
                    "Not enough %(kind)s: %(need)s needed, only %(have)s eligible once conflicts "
                    "of interest are excluded."
                )
                % {"kind": ExpertKind(kind).label, "need": need, "have": have}
            )
    return out


def pick(
    candidates: dict[str, list[int]], wanted: dict[str, int], seed: int
) -> dict[str, list[int]]:
    """Draw ``wanted[kind]`` experts per kind from ``candidates``; same input, same output."""
    rng = random.Random(seed)  # nosec B311 # reproducible draw; the seed is secrets.randbits
    picked = {}
    for kind in KIND_ORDER:
        pool = sorted(candidates.get(kind, []))
        picked[kind] = sorted(rng.sample(pool, wanted.get(kind, 0)))
    return picked
