"""The site's own (Chinese) error pages also with DEBUG on.

With DEBUG on (the `make run` demo), Django answers an unknown URL, a view's Http404, a bad
request and an uncaught exception with its English technical page. A newcomer trying the demo
should see what a user of the real site sees, so unless a developer asks for the technical
page with ``DEBUG_TECHNICAL_ERRORS=1`` this middleware answers with the configured handlers
(handler404/handler400/handler500), logging as Django does.
It comes last in MIDDLEWARE: the pages need the user and the language of the request. 403 needs nothing: Django uses
handler403 whatever DEBUG says.
"""

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils.log import log_response


def _active() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_ERRORS", False)


class SiteErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _active():
            resolver = get_resolver(get_urlconf())
            try:
                resolver.resolve(request.path_info)
            except Resolver404 as exc:
                return get_exception_response(request, resolver, 404, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _active() or isinstance(exception, (PermissionDenied, MultiPartParserError)):
            return None  # Django answers these with the site's pages already
        resolver = get_resolver(get_urlconf())
        # 404 and 400 are logged once by the request handler (every response >= 400).
        if isinstance(exception, Http404):
            return get_exception_response(request, resolver, 404, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return get_exception_response(request, resolver, 400, exception)
        signals.got_request_exception.send(sender=None, request=request)
        response = resolver.resolve_error_handler(500)(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response
