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


def test_the_broken_rule_is_named_in_the_active_language():
    from django.utils.translation import override

    from accounts.credit_code import problem

    with override("zh-hans"):
        assert problem("91140100") == "统一社会信用代码应为18位，当前为8位。"
        assert "（不使用I、O、Z、S、V）" in problem("9114010O" + "0" * 10)
    with override("en"):
        assert problem("91140100") == (
            "A unified social credit code has 18 characters; this one has 8."
        )
        assert "O (I, O, Z, S and V are not used)" in problem("9114010O" + "0" * 10)
