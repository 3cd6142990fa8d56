"""Indicator templates of the three-year evaluation (Art. 14), configured by administrators.

A template has dimensions with weights, each with indicators (unit, points, where the target
comes from, how it is scored) and the grade thresholds. A template is versioned: once an
evaluation uses it, it is frozen (``frozen_at``) and its rows refuse changes; a change is a
new version (``evaluations.services.templates.new_version``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

__all__ = [
    "Dimension",
    "FrozenTemplateError",
    "Grade",
    "Indicator",
    "IndicatorTemplate",
    "ScoringRule",
    "TargetSource",
]


class FrozenTemplateError(ValidationError):
    """A template in use cannot change: make a new version."""


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class TargetSource(models.TextChoices):
    NONE = "none", "无（评估机构按材料评分）"
    PLAN_TARGET = "plan_target", "建设方案三年目标"
    REPORT_FIELD = "report_field", "年度报告数据"


class ScoringRule(models.TextChoices):
    MANUAL = "manual", "人工评分"
    ATTAINMENT = "attainment", "按三年目标完成率计分（封顶）"


def _points(label, **kw):
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        **kw,
    )


class IndicatorTemplate(models.Model):
    name = models.CharField("指标体系名称", max_length=100)
    version = models.PositiveSmallIntegerField("版本", default=1)
    is_current = models.BooleanField("用于新开启的评估", default=False)
    excellent_min = _points("优秀分数线（≥）", default=Decimal("90"))
    good_min = _points("良好分数线（≥）", default=Decimal("80"))
    pass_min = _points("合格分数线（≥）", default=Decimal("60"))
    note = models.CharField("说明", max_length=300, blank=True)
    frozen_at = models.DateTimeField("启用（冻结）时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = "评估指标体系"
        verbose_name_plural = "评估指标体系"
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="eval_template_version"),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="eval_one_current"
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__gt=F("good_min")) & Q(good_min__gt=F("pass_min")),
                name="eval_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).first()
            if stored is not None and stored.frozen:
                changed = [
                    f
                    for f in ("name", "version", "excellent_min", "good_min", "pass_min")
                    if getattr(stored, f) != getattr(self, f)
                ]
                if changed:
                    raise FrozenTemplateError("该指标体系已被评估使用，不能修改，请复制为新版本。")
        super().save(*args, **kwargs)

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def grade_for(self, total) -> str:
        total = Decimal(str(total))
        if total >= self.excellent_min:
            return Grade.EXCELLENT
        if total >= self.good_min:
            return Grade.GOOD
        if total >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL

    def clean(self):
        if not (self.excellent_min > self.good_min > self.pass_min):
            raise ValidationError("分数线须满足：优秀 > 良好 > 合格。")


class _FrozenWithTemplate(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        template = self._template()
        if template is not None and template.frozen:
            raise FrozenTemplateError("该指标体系已被评估使用，不能修改，请复制为新版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        template = self._template()
        if template is not None and template.frozen:
            raise FrozenTemplateError("该指标体系已被评估使用，不能删除其中的内容。")
        return super().delete(*args, **kwargs)

    def _template(self):
        raise NotImplementedError


class Dimension(_FrozenWithTemplate):
    template = models.ForeignKey(
        IndicatorTemplate, on_delete=models.CASCADE, related_name="dimensions"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("维度", max_length=50)
    weight = _points("权重（分）")

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = "评估维度"
        verbose_name_plural = "评估维度"

    def __str__(self):
        return f"{self.name}（{self.weight}分）"

    def _template(self):
        return IndicatorTemplate.objects.filter(pk=self.template_id).first()


class Indicator(_FrozenWithTemplate):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("指标", max_length=100)
    unit = models.CharField("单位", max_length=20, blank=True)
    points = _points("分值")
    target_source = models.CharField(
        "目标来源", max_length=20, choices=TargetSource.choices, default=TargetSource.NONE
    )
    source_key = models.CharField(
        "数据项",
        max_length=40,
        blank=True,
        help_text="年度报告数据项（如 invention_patents）；其三年目标取建设方案中对应的目标。",
    )
    rule = models.CharField(
        "计分规则", max_length=20, choices=ScoringRule.choices, default=ScoringRule.MANUAL
    )
    cap = models.DecimalField(
        "完成率封顶",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("2"))],
        help_text="按完成率计分时达到满分所需的完成率（1.00 即完成目标得满分，超出不加分）。",
    )
    guidance = models.CharField("评分要点", max_length=300, blank=True)

    class Meta:
        ordering = ["dimension", "order", "pk"]
        verbose_name = "评估指标"
        verbose_name_plural = "评估指标"

    def __str__(self):
        return self.name

    def _template(self):
        return IndicatorTemplate.objects.filter(dimensions__pk=self.dimension_id).first()

    def clean(self):
        if self.rule == ScoringRule.ATTAINMENT and not self.source_key:
            raise ValidationError("按完成率计分的指标须指定数据项。")
