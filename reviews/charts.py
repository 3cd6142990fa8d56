"""Dashboard charts of the expert review (accounts/dashboard.py): the distribution of the
submitted score totals, the experts' recommendations, and score sheets past their deadline
(a row of the shared "overdue items" chart)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone

from accounts.dashboard import Chart, labelled_counts

from .models import Panel, PanelMember, Recommendation, Score, ScoreSheet

BANDS = [(90, "90–100"), (80, "80–89"), (70, "70–79"), (60, "60–69"), (0, "60 以下")]


def _sheets(scope):
    return scope.narrow(
        ScoreSheet.objects.filter(submitted_at__isnull=False),
        "member__panel__application__department",
    )


def scores(scope) -> list[Chart]:
    total = Subquery(
        Score.objects.filter(sheet=OuterRef("pk"))
        .order_by()
        .values("sheet")
        .annotate(s=Sum("points"))
        .values("s")[:1]
    )
    band = Case(
        *[When(total__gte=low, then=Value(i)) for i, (low, _label) in enumerate(BANDS)],
        default=Value(len(BANDS) - 1),
        output_field=IntegerField(),
    )
    rows = dict(
        _sheets(scope)
        .annotate(total=total)
        .annotate(band=band)
        .order_by()
        .values_list("band")
        .annotate(n=Count("pk"))
    )
    recommendations = (
        _sheets(scope).order_by().values_list("recommendation").annotate(n=Count("pk"))
    )
    outcomes = scope.narrow(Panel.objects.exclude(outcome=""), "application__department")
    outcome_rows = outcomes.order_by().values_list("outcome").annotate(n=Count("pk"))
    return [
        Chart(
            key="score-bands",
            title="专家评分分布（总分）",
            kind="bar",
            columns=("总分", "评分表数"),
            rows=tuple((label, rows.get(i, 0)) for i, (_low, label) in enumerate(BANDS)),
            note="已提交的评分表，每位专家一张。",
            order=50,
        ),
        Chart(
            key="recommendations",
            title="专家评审建议",
            kind="pie",
            columns=("建议", "评分表数"),
            rows=labelled_counts(recommendations, dict(Recommendation.choices)),
            order=51,
        ),
        Chart(
            key="panel-outcomes",
            title="专家组评审结论",
            kind="pie",
            columns=("结论", "专家组数"),
            rows=labelled_counts(outcome_rows, dict(Panel.Outcome.choices)),
            order=52,
        ),
    ]


def overdue(scope) -> list[Chart]:
    late = scope.narrow(
        PanelMember.objects.filter(
            status__in=PanelMember.ACTIVE,
            panel__score_deadline__lt=timezone.localdate(),
            panel__status=Panel.Status.OPEN,
        ).filter(Q(sheet__isnull=True) | Q(sheet__submitted_at__isnull=True)),
        "panel__application__department",
    ).count()
    return [
        Chart(
            key="overdue",
            title="逾期事项",
            kind="hbar",
            columns=("事项", "件数"),
            rows=(("专家评分逾期未交", late),),
            order=60,
        )
    ]


PROVIDERS = [scores, overdue]
