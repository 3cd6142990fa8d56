"""The dashboard page and the CSV of each of its charts (accounts/dashboard.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from documents.csv_export import csv_response

from .dashboard import dashboard_for


@login_required
def dashboard(request):
    board = dashboard_for(request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "board": board,
            "chart_data": [chart.as_data() for chart in board.charts],
        },
    )


@login_required
def dashboard_csv(request, key: str):
    """One chart's table as CSV: the same rows the page draws, in the user's scope."""
    chart = dashboard_for(request.user).chart(key)
    if chart is None:
        raise Http404("No such chart.")
    response, writer = csv_response(f"{chart.key}-{timezone.localdate():%Y%m%d}.csv")
    writer.writerow(chart.columns)
    writer.writerows(chart.rows)
    return response
