"""What the views of the expert review share: decorators, messages, paging."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from accounts.permissions import require_role
from accounts.roles import EXPERT, PROVINCIAL_OFFICER

PAGE_SIZE = 30

officer_only = require_role(PROVINCIAL_OFFICER)
expert_only = require_role(EXPERT)


def first_url(names, *args) -> str:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""
