"""Indicator templates: a used template is frozen; a change is a new version, which becomes
the one new evaluations use once its weights add up (dimensions 100, indicators = weight)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.roles import ADMINISTRATOR
from audit.services import record
from evaluations.models import Dimension, Indicator, IndicatorTemplate
from evaluations.services.common import EvaluationError


def _require_admin(actor):
    if actor is None or not actor.is_authenticated or not actor.has_role(ADMINISTRATOR):
        raise PermissionDenied(_("Only system administrators can configure indicator templates."))


def weight_problems(template: IndicatorTemplate) -> list[str]:
    problems = []
    dimensions = list(template.dimensions.prefetch_related("indicators"))
    total = sum((d.weight for d in dimensions), Decimal("0"))
    if total != Decimal("100"):
        problems.append(
            _("The weights of the dimensions must add up to 100 points (now %(total)s).")
            % {"total": total}
        )
    for d in dimensions:
        points = sum((i.points for i in d.indicators.all()), Decimal("0"))
        if points != d.weight:
            problems.append(
                _(
                    "The indicators of “%(dimension)s” add up to %(points)s points, not the "
                    "dimension's weight of %(weight)s points."
                )
                % {"dimension": d.name, "points": points, "weight": d.weight}
            )
    return problems


def new_version(*, actor, template_id: int) -> IndicatorTemplate:
    """Copy a template (its dimensions and indicators) as the next version, unfrozen."""
    _require_admin(actor)
    with transaction.atomic():
        source = IndicatorTemplate.objects.select_for_update().get(pk=template_id)
        last = IndicatorTemplate.objects.filter(name=source.name).aggregate(v=Max("version"))["v"]
        copy = IndicatorTemplate.objects.create(
            name=source.name,
            version=(last or 0) + 1,
            excellent_min=source.excellent_min,
            good_min=source.good_min,
            pass_min=source.pass_min,
            note=source.note,
        )
        for dim in source.dimensions.prefetch_related("indicators"):
            new_dim = Dimension.objects.create(
                template=copy, order=dim.order, name=dim.name, weight=dim.weight
            )
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        dimension=new_dim,
                        order=i.order,
                        name=i.name,
                        unit=i.unit,
                        points=i.points,
                        target_source=i.target_source,
                        source_key=i.source_key,
                        rule=i.rule,
                        cap=i.cap,
                        guidance=i.guidance,
                    )
                    for i in dim.indicators.all()
                ]
            )
        record(
            actor=actor,
            action="evaluations.template_copied",
            target=copy,
            data={"label": f"由第{source.version}版复制为第{copy.version}版"},
        )
    return copy


def make_current(*, actor, template_id: int) -> IndicatorTemplate:
    """Use this template for evaluations opened from now on (weights must add up)."""
    _require_admin(actor)
    with transaction.atomic():
        template = IndicatorTemplate.objects.select_for_update().get(pk=template_id)
        problems = weight_problems(template)
        if problems:
            raise EvaluationError(problems)
        IndicatorTemplate.objects.filter(is_current=True).exclude(pk=template.pk).update(
            is_current=False
        )
        IndicatorTemplate.objects.filter(pk=template.pk).update(is_current=True)
        template.is_current = True
        record(
            actor=actor,
            action="evaluations.template_current",
            target=template,
            data={"label": "设为新开启评估使用的指标体系"},
        )
    return template
