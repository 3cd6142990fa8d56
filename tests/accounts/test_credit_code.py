import pytest
from django.core.exceptions import ValidationError

from accounts import credit_code
from accounts.validators import validate_credit_code

# Real published codes (GB 32100-2015 examples and public registrations).
VALID = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID)
def test_known_valid_codes_pass(code):
    assert credit_code.problem(code) is None


def test_wrong_check_character_is_named():
    code = VALID[0][:-1] + ("0" if VALID[0][-1] != "0" else "1")
    assert "校验位" in credit_code.problem(code)


def test_length_and_charset_rules():
    assert "18位" in credit_code.problem("12345")
    assert "不允许的字符" in credit_code.problem("91350100M000100YI3")


def test_generated_codes_validate():
    for _i in range(50):
        validate_credit_code(credit_code.generate("140100"))
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91140100000000000X")
    assert exc.value.messages
