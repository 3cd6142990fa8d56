class ChineseFirstMiddleware:
    """The interface is Chinese unless the user picks English with the language switch.

    Put before django.middleware.locale.LocaleMiddleware: it hides the browser's
    Accept-Language header, so only the language cookie (set by the switch) or
    LANGUAGE_CODE decides. An English-language browser still gets Chinese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy: our pages load scripts, styles and fonts only from
    this site and carry no inline JavaScript or style attributes. The Django admin, which has
    its own inline styles, is left without the header."""

    POLICY = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.POLICY
        return response
