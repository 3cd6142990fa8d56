"""The officers' dashboard: charts gathered from chart providers the apps register.

Each app contributes providers in ``<app>/charts.py``: functions ``(scope) -> list[Chart]``
computed by aggregate queries (a fixed number whatever the number of rows), registered in
its ``AppConfig.ready`` with :func:`register` — as My tasks does with ``accounts/inbox.py``,
so a new step (the evaluations) adds its charts without editing the dashboard. Charts that
share a ``key`` are merged: their rows are concatenated in registration order (the
"overdue items" chart gets one row from each app that has deadlines).

The :class:`Scope` says whose figures: the province (``department`` None) for provincial
officers, one organizing department for its reviewers (city bureau, provincial department).
The page draws each chart in the browser (ECharts, ``static/js/dashboard.js``) from the same
rows the table under it shows and the CSV download holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied

from .roles import DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles


@dataclass(frozen=True)
class Scope:
    user: object
    department: object | None = None  # None: the whole province

    def narrow(self, qs, path: str):
        """``qs`` limited to the scope's department through ``path`` (a department FK)."""
        if self.department is None:
            return qs
        return qs.filter(**{path: self.department})


@dataclass(frozen=True)
class Chart:
    key: str  # slug, also the CSV's file name
    title: str  # Chinese
    kind: str  # "bar", "pie", "line" or "hbar"
    columns: tuple[str, ...]  # table headings: the label column, then one per series
    rows: tuple[tuple, ...] = ()  # (label, value, …): the table, the chart and the CSV
    note: str = ""  # how the figures are counted
    order: int = 100
    drawn: int | None = None  # how many value columns the chart draws (None: all)

    def as_data(self) -> dict:
        """What the browser draws (json_script)."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "columns": list(self.columns),
            "rows": [[_plain(v) for v in row] for row in self.rows],
            "drawn": self.drawn,
        }


def _plain(value):
    if value is None or isinstance(value, int | float | str):
        return value
    return float(value)


Provider = Callable[[Scope], list[Chart]]
_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add a chart provider (registering the same function again replaces it)."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def scope_for(user) -> Scope:
    """The province for its officers, the own department for department reviewers."""
    roles = user_roles(user)
    if PROVINCIAL_OFFICER in roles:
        return Scope(user=user)
    if DEPARTMENT_REVIEWER in roles and getattr(user, "department_id", None):
        return Scope(user=user, department=user.department)
    raise PermissionDenied("只有省科技厅和组织管理部门的工作人员可以查看统计分析。")


def charts_for(scope: Scope) -> list[Chart]:
    merged: dict[str, Chart] = {}
    for provider in _providers.values():
        for chart in provider(scope):
            if chart.key in merged:
                first = merged[chart.key]
                merged[chart.key] = replace(first, rows=first.rows + chart.rows)
            else:
                merged[chart.key] = chart
    return sorted(merged.values(), key=lambda c: (c.order, c.key))


@dataclass
class Dashboard:
    scope: Scope
    charts: list[Chart] = field(default_factory=list)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def dashboard_for(user) -> Dashboard:
    scope = scope_for(user)
    return Dashboard(scope=scope, charts=charts_for(scope))


def labelled_counts(rows, labels: dict, *, keep_order: bool = True) -> tuple[tuple, ...]:
    """(label, count) rows from ``values(key).annotate(n=...)`` rows of (key, n), in the
    order of ``labels`` (every label shown, zero included) when ``keep_order``."""
    counts = dict(rows)
    if keep_order:
        return tuple((str(label), counts.get(key, 0)) for key, label in labels.items())
    return tuple((str(labels.get(k, k)), n) for k, n in rows)
