"""Logging helpers referenced from ``settings.LOGGING``."""

import logging


class NoTracebackForClientErrors(logging.Filter):
    """A 4xx answer (403, 404, 400) is the client's mistake, not ours: one line, no traceback.

    Django logs ``PermissionDenied`` and friends on ``django.request`` with the exception
    attached; a refused request then fills the log with a traceback nobody needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
