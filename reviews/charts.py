"""Dashboard charts of the expert review (accounts/dashboard.py): the distribution of the
submitted score totals, the experts' recommendations, and score sheets past their deadline
(a row of the shared "overdue items" chart)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.dashboard import Chart, labelled_counts

from .models import Panel, PanelMember, Recommendation, Score, ScoreSheet

BANDS = [(90, "90–100"), (80, "80–89"), (70, "70–79"), (60, "60–69"), (0, None)]


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
            title=_("Distribution of expert scores (total)"),
            kind="bar",
            columns=(_("Total score"), _("Number of score sheets")),
            rows=tuple(
                (label or _("Below 60"), rows.get(i, 0)) for i, (_low, label) in enumerate(BANDS)
            ),
            note=_("Submitted score sheets, one per expert."),
            order=50,
        ),
        Chart(
            key="recommendations",
            title=_("Expert recommendations"),
            kind="pie",
            columns=(
                pgettext("expert recommendation", "Recommendation"),
                _("Number of score sheets"),
            ),
            rows=labelled_counts(recommendations, dict(Recommendation.choices)),
            order=51,
        ),
        Chart(
            key="panel-outcomes",
            title=_("Panel conclusions"),
            kind="pie",
            columns=(pgettext("panel conclusion", "Conclusion"), _("Number of panels")),
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
            title=_("Overdue items"),
            kind="hbar",
            columns=(_("Overdue item"), _("Number of items")),
            rows=((_("Expert score sheets past their deadline"), late),),
            order=60,
        )
    ]


PROVIDERS = [scores, overdue]
