"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

import random

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Return a Chinese message naming the broken rule, or None if the code is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位。"
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return "统一社会信用代码含有不允许的字符：" + "、".join(bad) + "（不使用I、O、Z、S、V）。"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为登记管理机关行政区划码（数字）。"
    if check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误（GB 32100-2015），请核对后重新输入。"
    return None


def generate(division_code: str = "140100", rng: random.Random | None = None) -> str:
    """A valid code for tests and demo data."""
    rng = rng or random.Random()  # nosec B311 # test and demo data, not a secret
    body = "91" + division_code + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return body + check_char(body)
