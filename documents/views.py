"""Issued documents: detail, download of the stored PDF, correction (reissue)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import ADMINISTRATOR, PROVINCIAL_OFFICER

from . import services
from .forms import ReissueForm
from .models import DocumentKind
from .selectors import get_document_for


def _may_reissue(user, document) -> bool:
    return (
        document.kind == DocumentKind.DESIGNATION_NOTICE
        and not hasattr(document, "superseded_by")
        and (user.has_role(PROVINCIAL_OFFICER) or user.has_role(ADMINISTRATOR))
    )


def _detail(request, document, form=None, status=200):
    may_reissue = _may_reissue(request.user, document)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "form": form or (ReissueForm() if may_reissue else None),
            # After a refused POST the form stays, with the reason typed and the message.
            "may_reissue": may_reissue or form is not None,
        },
        status=status,
    )


@require_GET
def detail(request, pk):
    return _detail(request, get_document_for(user=request.user, pk=pk))


@require_GET
def download(request, pk):
    """The stored PDF of an issued document; 404 unless the user may see it."""
    document = get_document_for(user=request.user, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The stored file is missing.") from missing
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["POST"])
def reissue(request, pk):
    document = get_document_for(user=request.user, pk=pk)
    if not (request.user.has_role(PROVINCIAL_OFFICER) or request.user.has_role(ADMINISTRATOR)):
        raise PermissionDenied
    form = ReissueForm(request.POST)
    if not form.is_valid():
        return _detail(request, document, form, status=400)
    try:
        corrected = services.reissue_designation_notice(
            actor=request.user, document_id=document.pk, reason=form.cleaned_data["reason"]
        )
    except services.DocumentError as error:
        form.add_error(None, str(error))
        return _detail(request, document, form, status=409)
    messages.success(
        request, f"已印发更正文件{corrected.number}，替代{document.number}。原文件保持不变。"
    )
    return redirect("documents:detail", pk=corrected.pk)
