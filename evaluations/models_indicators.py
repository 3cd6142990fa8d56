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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    EXCELLENT = "excellent", pgettext_lazy("evaluation grade", "Excellent")
    GOOD = "good", pgettext_lazy("evaluation grade", "Good")
    PASS = "pass", pgettext_lazy("evaluation grade", "Pass")
    FAIL = "fail", pgettext_lazy("evaluation grade", "Fail")


class TargetSource(models.TextChoices):
    NONE = "none", _("None (the institution scores from the materials)")
    PLAN_TARGET = "plan_target", _("Three-year target of the plan")
    REPORT_FIELD = "report_field", _("Annual report figure")


class ScoringRule(models.TextChoices):
    MANUAL = "manual", _("Scored by hand")
    ATTAINMENT = "attainment", _("By attainment of the three-year target (capped)")


def _points(label, **kw):
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        **kw,
    )


class IndicatorTemplate(models.Model):
    name = models.CharField(_("name of the indicator template"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("used for newly opened evaluations"), default=False)
    excellent_min = _points(_("threshold for excellent (≥)"), default=Decimal("90"))
    good_min = _points(_("threshold for good (≥)"), default=Decimal("80"))
    pass_min = _points(_("threshold for pass (≥)"), default=Decimal("60"))
    note = models.CharField(pgettext_lazy("evaluation", "note"), max_length=300, blank=True)
    frozen_at = models.DateTimeField(
        pgettext_lazy("evaluation", "frozen at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("evaluation indicator template")
        verbose_name_plural = _("evaluation indicator templates")
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
                    raise FrozenTemplateError(
                        _(
                            "This indicator template is used by evaluations and cannot change; copy it to a new version."
                        )
                    )
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
            raise ValidationError(_("The thresholds must be excellent > good > pass."))


class _FrozenWithTemplate(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        template = self._template()
        if template is not None and template.frozen:
            raise FrozenTemplateError(
                _(
                    "This indicator template is used by evaluations and cannot change; copy it to a new version."
                )
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        template = self._template()
        if template is not None and template.frozen:
            raise FrozenTemplateError(
                _("This indicator template is used by evaluations; nothing in it can be deleted.")
            )
        return super().delete(*args, **kwargs)

    def _template(self):
        raise NotImplementedError


class Dimension(_FrozenWithTemplate):
    template = models.ForeignKey(
        IndicatorTemplate, on_delete=models.CASCADE, related_name="dimensions"
    )
    order = models.PositiveSmallIntegerField(pgettext_lazy("evaluation", "order"), default=0)
    name = models.CharField(_("dimension"), max_length=50)
    weight = _points(_("weight (points)"))

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("evaluation dimension")
        verbose_name_plural = _("evaluation dimensions")

    def __str__(self):
        return f"{self.name}（{self.weight}分）"

    def _template(self):
        return IndicatorTemplate.objects.filter(pk=self.template_id).first()


class Indicator(_FrozenWithTemplate):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(pgettext_lazy("evaluation", "order"), default=0)
    name = models.CharField(_("indicator"), max_length=100)
    unit = models.CharField(pgettext_lazy("evaluation", "unit"), max_length=20, blank=True)
    points = _points(pgettext_lazy("evaluation", "points"))
    target_source = models.CharField(
        _("target source"), max_length=20, choices=TargetSource.choices, default=TargetSource.NONE
    )
    source_key = models.CharField(
        _("figure"),
        max_length=40,
        blank=True,
        help_text=_(
            "The annual report figure (such as invention_patents); its three-year target is the plan's matching target."
        ),
    )
    rule = models.CharField(
        _("scoring rule"), max_length=20, choices=ScoringRule.choices, default=ScoringRule.MANUAL
    )
    cap = models.DecimalField(
        _("attainment cap"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("2"))],
        help_text=_(
            "The attainment that earns full points when scored by attainment (1.00: reaching the target earns full points, more earns nothing extra)."
        ),
    )
    guidance = models.CharField(_("scoring guidance"), max_length=300, blank=True)

    class Meta:
        ordering = ["dimension", "order", "pk"]
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")

    def __str__(self):
        return self.name

    def _template(self):
        return IndicatorTemplate.objects.filter(dimensions__pk=self.dimension_id).first()

    def clean(self):
        if self.rule == ScoringRule.ATTAINMENT and not self.source_key:
            raise ValidationError(_("An indicator scored by attainment needs a figure."))
