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
