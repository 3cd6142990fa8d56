from django.core.exceptions import ValidationError

from . import credit_code


def validate_credit_code(value: str) -> None:
    message = credit_code.problem(value or "")
    if message:
        raise ValidationError(message, code="credit_code")
