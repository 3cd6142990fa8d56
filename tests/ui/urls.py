"""Test URLconf: the project's URLs plus views that fail on purpose."""

from django.http import Http404, HttpResponse
from django.urls import path

from accounts.permissions import require_role
from accounts.roles import APPLICANT, EXPERT
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urls

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


def missing(request):
    raise Http404("deliberate: no such object")


@require_role(APPLICANT, EXPERT)
def only_applicants(request):
    return HttpResponse("ok")


urlpatterns = [
    path("test-boom/", boom),
    path("test-missing/", missing),
    path("test-only-applicants/", only_applicants),
    *project_urls,
]
