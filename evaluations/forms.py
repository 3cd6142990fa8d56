"""Forms of the evaluation pages (every message in Chinese; what was typed is kept)."""

from __future__ import annotations

from django import forms

from accounts.forms import BootstrapFormMixin

from .models import CreditCheck, EvaluationStatus, Grade, Outcome, RevocationReason
from .services.decisions import DECISION_REVOCATION_REASONS


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}格式不正确，请按 2027-06-30 的格式填写。",
        },
    )


def _text(label, *, required=False, rows=4, max_length=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"请填写{label}。",
            "max_length": f"{label}最多 %(limit_value)d 个字。",
        },
    )


class ListFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部")] + EvaluationStatus.choices
    )
    grade = forms.ChoiceField(label="等次", required=False, choices=[("", "全部")] + Grade.choices)
    q = forms.CharField(label="中心名称或编号", required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class CommissionForm(BootstrapFormMixin, forms.Form):
    evaluations = forms.TypedMultipleChoiceField(
        label="待委托的评估",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "请至少选择一项评估。",
            "invalid_choice": "所选评估已委托或不存在，请刷新页面。",
        },
    )
    institution = forms.TypedChoiceField(
        label="第三方评估机构",
        coerce=int,
        error_messages={
            "required": "请选择第三方评估机构。",
            "invalid_choice": "请选择已核验的第三方评估机构。",
        },
    )
    self_report_deadline = _date("自评报告截止日")
    evaluation_deadline = _date("评估报告截止日")

    def __init__(self, *args, evaluations=(), institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluations"].choices = [
            (e.pk, f"{e.center.name}（第{e.cycle}周期，{e.years_label}）") for e in evaluations
        ]
        self.fields["institution"].choices = [("", "请选择")] + [
            (o.pk, o.name) for o in institutions
        ]


class CreditCheckForm(BootstrapFormMixin, forms.Form):
    result = forms.ChoiceField(
        label="核查结果",
        choices=CreditCheck.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择核查结果。"},
    )
    source = forms.CharField(
        label="核查渠道",
        max_length=200,
        help_text="如：信用中国、国家企业信用信息公示系统、科研诚信管理信息系统。",
        error_messages={"required": "请填写核查渠道。", "max_length": "核查渠道最多200个字。"},
    )
    checked_on = _date("核查日期")
    note = _text("核查说明", rows=3)
    evidence = forms.FileField(label="证明文件（PDF、JPG 或 PNG）", required=False)


class SelfReportForm(BootstrapFormMixin, forms.Form):
    """The self-assessment text, one value and one reason per figure, one file per save."""

    self_assessment = _text("自评报告", rows=8)
    files = forms.FileField(label="自评材料（PDF、JPG 或 PNG，每次一个）", required=False)

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(values)
        for row in self.rows:
            full = f"{row.label}（{row.unit}）" if row.unit else row.label
            self.fields[f"value_{row.key}"] = forms.DecimalField(
                label=full,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                error_messages={
                    "invalid": f"{full}须为数字。",
                    "min_value": f"{full}不能为负数。",
                    "max_decimal_places": f"{full}最多保留两位小数。",
                    "max_digits": f"{full}数值过大。",
                    "max_whole_digits": f"{full}数值过大。",
                },
            )
            self.fields[f"reason_{row.key}"] = forms.CharField(
                label=f"{row.label}修改理由",
                required=False,
                max_length=300,
                error_messages={"max_length": "修改理由最多300个字。"},
            )
        for name, field in self.fields.items():
            if name.startswith(("value_", "reason_")):
                field.widget.attrs["class"] = "form-control form-control-sm"

    def values(self) -> dict:
        return {
            row.key: (
                self.cleaned_data.get(f"value_{row.key}"),
                self.cleaned_data.get(f"reason_{row.key}", ""),
            )
            for row in self.rows
        }

    def bound_rows(self):
        return [(row, self[f"value_{row.key}"], self[f"reason_{row.key}"]) for row in self.rows]


class ScoreForm(BootstrapFormMixin, forms.Form):
    """One score and note per hand-scored indicator; the findings; the report on submit."""

    findings = _text("评估意见", rows=6)
    report = forms.FileField(label="正式评估报告（PDF）", required=False)

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            ind = row.indicator
            if not row.by_rule:
                self.fields[f"score_{ind.pk}"] = forms.DecimalField(
                    label=f"{ind.name}得分",
                    required=False,
                    min_value=0,
                    max_value=ind.points,
                    max_digits=6,
                    decimal_places=2,
                    error_messages={
                        "invalid": f"「{ind.name}」的得分须为数字。",
                        "min_value": f"「{ind.name}」的得分不能为负数。",
                        "max_value": f"「{ind.name}」的得分不能超过{ind.points}分。",
                        "max_decimal_places": "得分最多保留两位小数。",
                        "max_digits": "得分数值过大。",
                        "max_whole_digits": "得分数值过大。",
                    },
                )
            self.fields[f"note_{ind.pk}"] = forms.CharField(
                label=f"{ind.name}评分说明",
                required=False,
                max_length=300,
                error_messages={"max_length": "评分说明最多300个字。"},
            )
        for name, field in self.fields.items():
            if name.startswith(("score_", "note_")):
                field.widget.attrs["class"] = "form-control form-control-sm"

    def scores(self) -> dict:
        return {
            row.indicator.pk: (
                self.cleaned_data.get(f"score_{row.indicator.pk}"),
                self.cleaned_data.get(f"note_{row.indicator.pk}", ""),
            )
            for row in self.rows
        }

    def bound_rows(self):
        out = []
        for row in self.rows:
            pk = row.indicator.pk
            score = None if row.by_rule else self[f"score_{pk}"]
            out.append((row, score, self[f"note_{pk}"]))
        return out


class HearingForm(BootstrapFormMixin, forms.Form):
    held_on = _date("评议日期")
    experts = forms.TypedMultipleChoiceField(
        label="评议专家",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "请至少选择一位评议专家。",
            "invalid_choice": "所选专家须回避或不在专家库中。",
        },
    )
    summary = _text("评议意见", required=True, rows=5)

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [(e.pk, f"{e.name}（{e.employer_name}）") for e in experts]


class DecideForm(BootstrapFormMixin, forms.Form):
    grade = forms.ChoiceField(
        label="评估等次", choices=Grade.choices, error_messages={"required": "请确定评估等次。"}
    )
    outcome = forms.ChoiceField(
        label="处理决定",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理决定。"},
    )
    note = _text("决定说明", rows=3)
    requirements = _text("整改要求（决定整改时填写）", rows=4)
    deadline = _date("整改期限（决定整改时填写）", required=False)
    revocation_reason = forms.ChoiceField(
        label="撤销原因（决定撤销时选择）",
        required=False,
        choices=[("", "—")] + [(c, RevocationReason(c).label) for c in DECISION_REVOCATION_REASONS],
    )


class NonSubmissionForm(BootstrapFormMixin, forms.Form):
    note = _text("未提交评估材料的事实（如催告情况）", required=True, rows=3)


class RectificationReportForm(BootstrapFormMixin, forms.Form):
    report = _text("整改报告", required=True, rows=8)
    files = forms.FileField(label="附件（PDF、JPG 或 PNG）", required=False)


class FollowUpForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="复核结论",
        choices=[(Outcome.RETAIN, "保留"), (Outcome.REVOKE, "撤销")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择复核结论（保留或撤销）。"},
    )
    note = _text("复核意见（撤销时必填）", rows=4)
