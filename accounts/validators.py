from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import credit_code


def validate_credit_code(value: str) -> None:
    message = credit_code.problem(value or "")
    if message:
        raise ValidationError(message, code="credit_code")


class MaximumLengthValidator:
    """AUTH_PASSWORD_VALIDATORS entry: a password of at most ``max_length`` characters
    (a very long password costs the server hashing time and helps nobody)."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("The password is too long: at most %(max)s characters (now %(n)s).")
                % {"max": self.max_length, "n": len(password)},
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _("At most %(max)s characters.") % {"max": self.max_length}
