"""Authentication forms with Bootstrap classes, and a mixin other apps can reuse.

Render any form with ``{% include "_forms/fields.html" with form=form %}``: each
field shows its label, help text and its own errors, and keeps what was typed.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .widgets import Html5InputsMixin

GROUP_TEMPLATE = "accounts/widgets/choice_group.html"


class BootstrapFormMixin(Html5InputsMixin):
    """Give widgets Bootstrap 5 classes; mark fields with errors as invalid.

    Radio and checkbox groups (``RadioSelect``, ``CheckboxSelectMultiple``) render each option
    as a Bootstrap ``form-check`` (the class goes on the options, never on the group's
    wrapper); ``_forms/fields.html`` puts a group in a ``fieldset`` with its label as
    ``legend``. Django itself sets ``aria-invalid`` and ``aria-describedby``
    (``<id>_helptext``, ``<id>_error``): the shared templates render those ids.
    Date, time and number inputs render ISO/plain values whatever the language
    (``accounts.widgets``); fields added after ``__init__`` use those widgets directly.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple too
                widget.template_name = GROUP_TEMPLATE
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None:
                classes = field.widget.attrs.get("class", "")
                if "is-invalid" not in classes:
                    field.widget.attrs["class"] = f"{classes} is-invalid".strip()


class LoginForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    """A password longer than LOGIN_PASSWORD_MAX_LENGTH is refused before authenticate()
    hashes it (AuthenticationForm.clean skips authenticate without a cleaned password)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = int(getattr(settings, "LOGIN_PASSWORD_MAX_LENGTH", 4096))
        self.fields["password"].validators.append(
            MaxLengthValidator(limit, message=f"密码过长（最多 {limit} 个字符）。")
        )


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BootstrapFormMixin, auth_forms.SetPasswordForm):
    pass


class TwoFactorTokenForm(BootstrapFormMixin, forms.Form):
    """The six-digit code of the authenticator app, or one backup code."""

    token = forms.CharField(
        label=_("Verification code"),
        max_length=16,
        strip=True,
        help_text=_("The six digits your authenticator app shows, or one backup code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
