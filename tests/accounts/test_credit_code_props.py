"""GB 32100-2015 check character: an independent reference, fixed codes with nonzero
digits everywhere, and properties (hypothesis) of valid and corrupted codes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import credit_code

# The standard's table (GB 32100-2015, 表 1 and 公式 1), written out independently of the module.
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(CHARS)}
REFERENCE_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # W_i = 3^(i-1) mod 31

PROPS = settings(max_examples=100, deadline=None)


def reference_check(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, REFERENCE_WEIGHTS, strict=True))
    return CHARS[(31 - total % 31) % 31]


def test_module_weights_are_the_standards():
    assert list(credit_code.WEIGHTS) == REFERENCE_WEIGHTS
    assert credit_code.ALPHABET == CHARS


def _with_check(first17):
    return first17 + reference_check(first17)


@pytest.mark.parametrize(
    "first17",
    ["91140105MA0GRL4X1", "12140781987654321", "52149999YTWRQPNMK", "93140123456789ABC"],
)
def test_codes_with_nonzero_digits_everywhere_pass(first17):
    assert credit_code.problem(_with_check(first17)) is None


@pytest.mark.parametrize("position", range(17))
def test_every_weight_moves_the_check_character(position):
    """Changing the value at one position by 1 must change the check character (weight ≠ 0 mod 31)."""
    first17 = "91140105MA0GRL4X1"
    value = VALUES[first17[position]]
    bumped = first17[:position] + CHARS[(value + 1) % 31] + first17[position + 1 :]
    if position in range(2, 8) and not bumped[position].isdigit():
        bumped = first17[:position] + CHARS[(value + 1) % 10] + first17[position + 1 :]
    assert credit_code.check_char(bumped) == reference_check(bumped)
    assert credit_code.check_char(bumped) != credit_code.check_char(first17)


@pytest.mark.parametrize("position", range(2, 8))
def test_a_letter_in_the_division_code_is_refused(position):
    first17 = "91140105MA0GRL4X1"
    bad = first17[:position] + "A" + first17[position + 1 :]
    message = credit_code.problem(_with_check(bad))
    assert message is not None and "第3至8位" in message


def test_letters_right_after_the_division_code_are_fine():
    # positions 1–2 and 9–17 may be letters; only 3–8 must be digits
    assert credit_code.problem(_with_check("Y1140105MA0GRL4X1")) is None
    assert credit_code.problem(_with_check("9Y140105AA0GRL4X1")) is None


# --------------------------------------------------------------------- properties

division = st.text(alphabet="0123456789", min_size=6, max_size=6)
body = st.tuples(
    st.text(alphabet=CHARS, min_size=2, max_size=2),
    division,
    st.text(alphabet=CHARS, min_size=9, max_size=9),
).map("".join)


@PROPS
@given(first17=body)
def test_valid_codes_pass(first17):
    code = _with_check(first17)
    assert credit_code.check_char(first17) == code[17]
    assert credit_code.problem(code) is None


@PROPS
@given(first17=body, position=st.integers(min_value=0, max_value=17), data=st.data())
def test_any_single_character_change_fails(first17, position, data):
    code = _with_check(first17)
    replacement = data.draw(st.sampled_from(CHARS).filter(lambda c: c != code[position]))
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert credit_code.problem(corrupted) is not None


@PROPS
@given(first17=body, position=st.integers(min_value=0, max_value=17), bad=st.sampled_from("IOZSV"))
def test_forbidden_letters_are_named(first17, position, bad):
    code = _with_check(first17)
    corrupted = code[:position] + bad + code[position + 1 :]
    assert "不允许的字符" in credit_code.problem(corrupted)


@PROPS
@given(division_code=division, seed=st.integers(min_value=0, max_value=10**6))
def test_generate_gives_valid_codes_for_any_division(division_code, seed):
    import random

    code = credit_code.generate(division_code, rng=random.Random(seed))
    assert code[2:8] == division_code
    assert credit_code.problem(code) is None
    assert code[17] == reference_check(code[:17])


@PROPS
@given(first17=body, extra=st.text(alphabet=CHARS, min_size=1, max_size=3))
def test_a_valid_code_with_characters_added_or_dropped_fails_on_length(first17, extra):
    code = _with_check(first17)
    assert (
        credit_code.problem(code + extra)
        == f"统一社会信用代码应为18位，当前为{18 + len(extra)}位。"
    )
    assert "18位" in credit_code.problem(code[: 18 - len(extra)])
