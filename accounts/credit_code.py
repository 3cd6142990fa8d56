"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

import random

from django.utils.translation import gettext as _

from documents.languages import punct

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """A message naming the broken rule (in the active language), or None if the code is valid."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(length)s.") % {
            "length": len(code)
        }
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return _(
            "The unified social credit code contains characters that are not allowed: "
            "%(chars)s (I, O, Z, S and V are not used)."
        ) % {"chars": punct("、").join(bad)}
    if not code[2:8].isdigit():
        return _(
            "Characters 3 to 8 of the unified social credit code must be the registering "
            "authority's administrative division code (digits)."
        )
    if check_char(code[:17]) != code[17]:
        return _(
            "The check character of the unified social credit code is wrong (GB 32100-2015); "
            "check the code and enter it again."
        )
    return None


def generate(division_code: str = "140100", rng: random.Random | None = None) -> str:
    """A valid code for tests and demo data."""
    rng = rng or random.Random()  # nosec B311 # test and demo data, not a secret
    body = "91" + division_code + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return body + check_char(body)
