"""A refused action's Chinese messages, shown on the page or on the form (one place)."""

from __future__ import annotations

from django.contrib import messages


def flash_errors(request, exc) -> None:
    """Each message of ``exc`` (``.messages``, else its text) as an error on the next page."""
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def form_errors(form, exc) -> None:
    """Each message of ``exc`` as a non-field error of ``form`` (nothing typed is lost)."""
    for message in exc.messages:
        form.add_error(None, message)
