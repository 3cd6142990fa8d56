"""A request body beyond UPLOAD_MAX_BYTES is refused with a Chinese 413 before it is read."""

import io
import tracemalloc

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class CountingInput(io.RawIOBase):
    """A body of ``size`` bytes made on demand; counts what the server reads."""

    def __init__(self, size):
        self.left = size
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = b"x" * n
        self.left -= n
        self.read_bytes += n
        return n


def post(path, size, content_type="multipart/form-data; boundary=BoUnDaRy"):
    body = CountingInput(size)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT_LANGUAGE": "zh-hans",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(size),
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    content = b"".join(WSGIHandler()(environ, start_response))
    return seen, content.decode(), body


def test_a_100_mb_anonymous_upload_is_refused_unread_with_a_chinese_page():
    tracemalloc.start()
    try:
        seen, page, body = post(reverse("register"), 100 * MB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen["status"].startswith("413")
    assert "请求内容过大" in page
    assert "超过了单次请求允许的 20 MB，未保存任何内容" in page
    assert body.read_bytes == 0
    assert peak < 10 * MB


def test_the_limit_is_a_setting_and_a_body_within_it_reaches_the_view(settings):
    settings.UPLOAD_MAX_BYTES = 1 * MB
    seen, page, _body = post(reverse("register"), 2 * MB)
    assert seen["status"].startswith("413") and "1 MB" in page
    # Within the limit the request goes on (here: CSRF refuses the forged form, 403, not 413).
    seen, page, _body = post(reverse("register"), MB // 2)
    assert seen["status"].startswith("403") and "请求内容过大" not in page


def test_nul_in_query_parameters_is_dropped_before_any_view_reads_them(client):
    response = client.get(reverse("centers:registry"), {"q": "\x00"})
    assert response.status_code == 200
    assert response.wsgi_request.GET["q"] == ""
    response = client.get(reverse("centers:registry"), {"q\x00": "太\x00原"})
    assert response.wsgi_request.GET.getlist("q") == ["太原"]
