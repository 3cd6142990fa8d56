"""The public verification pages of issued documents (no login), beside the other public pages.

They live in centers (not documents) because they are public pages throttled per client address
(``accounts.throttle``, a layer above documents); what they read is documents' own
(``documents.selectors``, ``documents.verification``).

``verify:index`` takes a typed code or an uploaded copy; ``verify:document`` shows what the
document says publicly (number, title, date, issuer) and the SHA-256 of the stored file, and
checks an uploaded copy against it. Only those fields are shown: never the issuing user, the
file itself or the object it is about. Uploads are capped (``DOCUMENTS_VERIFY_MAX_BYTES``) and
throttled per client address (``DOCUMENTS_VERIFY_RATE``), and so are the typed-code lookups of
the index page (``DOCUMENTS_VERIFY_LOOKUP_RATE``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import throttle
from documents import selectors
from documents.forms import VerifyLookupForm, VerifyUploadForm
from documents.verification import display, file_sha256, normalize, verify_path

UPLOAD_RATE = ("DOCUMENTS_VERIFY_RATE", (20, 3600))
LOOKUP_RATE = ("DOCUMENTS_VERIFY_LOOKUP_RATE", (120, 3600))


def _max_bytes() -> int:
    return getattr(settings, "DOCUMENTS_VERIFY_MAX_BYTES", 10 * 1024 * 1024)


def public_record(document) -> dict:
    """What the verification page may show of a document: what the document prints itself."""
    successor = getattr(document, "superseded_by", None)
    return {
        "number": document.number,
        "title": document.title,
        "issued_on": timezone.localdate(document.issued_at),
        "issuer": settings.ST_DEPARTMENT_NAME,
        "sha256": document.sha256,
        "size": document.size,
        "code": display(document.verification_code),
        "superseded_by": successor.number if successor else "",
        "superseded_by_url": (
            verify_path(successor.verification_code)
            if successor and successor.verification_code
            else ""
        ),
    }


def _upload_form(request) -> VerifyUploadForm:
    if request.method == "POST":
        return VerifyUploadForm(request.POST, request.FILES, max_bytes=_max_bytes())
    return VerifyUploadForm(max_bytes=_max_bytes())


def _throttled(request, bucket, rate_setting) -> str:
    setting, default = rate_setting
    limit_window = throttle.rate(setting, default)
    if throttle.hit_client(request, bucket, limit_window):
        return (
            f"操作过于频繁：同一网络每{throttle.minutes(limit_window)}分钟最多核验"
            f"{limit_window[0]}次，请稍后再试。"
        )
    return ""


def _check_upload(request, form, expected=None) -> tuple[dict | None, int]:
    """(result, status) of an uploaded copy: matched against ``expected`` or any document."""
    refused = _throttled(request, "documents-verify-upload", UPLOAD_RATE)
    if refused:
        form.add_error(None, refused)
        return None, 429
    if not form.is_valid():
        return None, 400
    digest = file_sha256(form.cleaned_data["file"])
    if expected is not None:
        genuine = digest == expected.sha256
        match = expected if genuine else None
    else:
        match = selectors.document_by_sha256(digest)
        genuine = match is not None
    return {
        "genuine": genuine,
        "uploaded_sha256": digest,
        "record": public_record(match) if match else None,
    }, 200


@require_http_methods(["GET", "POST"])
def index(request):
    lookup = VerifyLookupForm(request.GET if "code" in request.GET else None)
    upload = _upload_form(request)
    result, status = None, 200
    if lookup.is_bound:
        refused = _throttled(request, "documents-verify-lookup", LOOKUP_RATE)
        if refused:
            lookup.add_error(None, refused)
            status = 429
        elif lookup.is_valid():
            document = selectors.document_by_code(lookup.cleaned_data["code"])
            if document is not None:
                return redirect(verify_path(document.verification_code))
            lookup.add_error("code", "没有查到使用该验证码的文件，请核对文件上印制的验证码。")
            status = 404
        else:
            status = 400
    elif request.method == "POST":
        result, status = _check_upload(request, upload)
    context = {
        "lookup": lookup,
        "upload": upload,
        "result": result,
        "max_bytes": _max_bytes(),
        "issuer": settings.ST_DEPARTMENT_NAME,
    }
    return render(request, "centers/verify/index.html", context, status=status)


@require_http_methods(["GET", "POST"])
def document(request, code):
    normalized = normalize(code)
    found = selectors.document_by_code(normalized) if normalized else None
    if found is None:  # 80 random bits: guessing needs no throttle, a typo gets the 404 page
        raise Http404("No document with this verification code.")
    if code != display(normalized):
        return redirect(verify_path(normalized))
    upload = _upload_form(request)
    result, status = None, 200
    if request.method == "POST":
        result, status = _check_upload(request, upload, expected=found)
    context = {
        "record": public_record(found),
        "upload": upload,
        "result": result,
        "max_bytes": _max_bytes(),
    }
    return render(request, "centers/verify/document.html", context, status=status)
