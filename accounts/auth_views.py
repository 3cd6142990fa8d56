"""Password reset with throttles per client address and per e-mail address."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from . import forms
from .throttle import hit, hit_client, minutes, rate


def too_many_message(limit_window) -> str:
    return f"操作过于频繁：每{minutes(limit_window)}分钟最多{limit_window[0]}次，请稍后再试。"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm

    def post(self, request, *args, **kwargs):
        per_client = rate("PASSWORD_RESET_RATE_PER_CLIENT", (5, 3600))
        if hit_client(request, "password-reset", per_client):
            return self._refused(self.get_form(), per_client)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        per_email = rate("PASSWORD_RESET_RATE_PER_EMAIL", (3, 3600))
        if hit("password-reset-email", form.cleaned_data["email"].strip().lower(), per_email):
            return self._refused(form, per_email)
        return super().form_valid(form)

    def _refused(self, form, limit_window):
        form.is_valid()  # bind errors so the typed address stays in the field
        form.add_error(None, too_many_message(limit_window))
        return self.render_to_response(self.get_context_data(form=form), status=429)
