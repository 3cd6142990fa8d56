from .client_ip import client_ip
from .services import set_request_ip


class RequestIPMiddleware:
    """Remember the client IP for audit events written while serving this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_request_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            set_request_ip(None)
