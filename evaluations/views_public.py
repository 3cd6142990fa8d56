"""The public notice of each round's results (center, grade, outcome): decided evaluations
only, one page per year of decision."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from . import selectors


def results_index(request):
    return render(request, "evaluations/public/index.html", {"rounds": selectors.result_rounds()})


def results_round(request, year):
    rows = list(selectors.results(year))
    if not rows:
        raise Http404("No results for this year.")
    for row in rows:
        row.public_outcome = selectors.final_outcome(row)
    return render(request, "evaluations/public/round.html", {"year": year, "rows": rows})
