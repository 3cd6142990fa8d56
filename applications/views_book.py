"""The plan book (申报书) downloads: a frozen version's stored PDF, the applicant's draft."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.roles import APPLICANT

from . import plan_book
from .models import ApplicationVersion
from .selectors import get_application_for


def _pdf_response(content: bytes | None = None, *, handle=None, filename: str):
    if handle is not None:
        response = FileResponse(handle, filename=filename, content_type="application/pdf")
    else:
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def version_pdf(request, pk, number):
    """The stored book of one version: the same object check as the version page."""
    app = get_application_for(user=request.user, pk=pk)
    version = ApplicationVersion.objects.filter(application=app, number=number).first()
    if version is None:
        raise Http404("No such version.")
    book = plan_book.version_book(version)
    return _pdf_response(handle=book.file.open("rb"), filename=plan_book.book_filename(app, number))


@login_required
@require_GET
def draft_pdf(request, pk):
    """The plan as it is now, marked 「草稿」: for the applicant's own staff only."""
    app = get_application_for(user=request.user, pk=pk, perm="applications.change_application")
    if request.user.organization_id != app.organization_id or not request.user.has_role(APPLICANT):
        raise PermissionDenied("只有申报单位可以打印建设方案草稿。")
    return _pdf_response(plan_book.draft_book(app), filename=plan_book.book_filename(app, None))
