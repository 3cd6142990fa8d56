"""A refused request (403) writes one log line, not two tracebacks (issue 8 item 7)."""

import io
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.log import configure_logging

from tests.factories import applicant


def _configure_into(stream):
    old = sys.stderr
    sys.stderr = stream  # StreamHandler() binds sys.stderr when it is built
    try:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    finally:
        sys.stderr = old


@pytest.fixture
def log_output():
    buffer = io.StringIO()
    _configure_into(buffer)
    yield buffer
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_a_403_is_one_line_without_traceback(client, settings, log_output, debug):
    settings.DEBUG = debug
    client.force_login(applicant())
    url = reverse("applications:review_inbox")
    response = client.get(url)
    assert response.status_code == 403
    lines = [line for line in log_output.getvalue().splitlines() if "Forbidden" in line]
    assert lines == [f"Forbidden (Permission denied): {url}"]
    assert "Traceback" not in log_output.getvalue()


@pytest.mark.django_db
def test_a_500_still_logs_its_traceback(log_output):
    import logging

    try:
        raise ValueError("boom")
    except ValueError as exc:
        logging.getLogger("django.request").error(
            "Internal Server Error: /x", exc_info=exc, extra={"status_code": 500}
        )
    assert "Traceback" in log_output.getvalue() and "ValueError: boom" in log_output.getvalue()
