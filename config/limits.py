"""Refuse an oversized request body before anything reads it.

The middleware runs before CSRF (which reads ``request.POST``) and answers 413 with a Chinese
page when the declared Content-Length exceeds ``settings.UPLOAD_MAX_BYTES``. Under WSGI Django
never reads past the declared length, so the declared length bounds what any view can read;
nginx's ``client_max_body_size`` (README) refuses the same requests before they reach Django.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.template import loader


def upload_max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def too_large(limit: int) -> HttpResponse:
    # Stand-alone page (no context processors): the session and user are not loaded yet.
    body = loader.get_template("errors/413.html").render({"limit_mb": limit // (1024 * 1024)})
    response = HttpResponse(body, status=413)
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = upload_max_bytes()
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = 0  # Django then reads nothing
        if length > limit:
            return too_large(limit)
        return self.get_response(request)


class QueryNulMiddleware:
    """Drop NUL characters from query parameters.

    PostgreSQL refuses NUL in text, so ``?q=%00`` would fail inside any filter on a text
    column. Forms already refuse NUL in posted fields (Django's ProhibitNullCharactersValidator);
    query parameters are read by views directly, so they are cleaned once here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
