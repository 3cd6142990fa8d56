"""The expert pool (专家库, DESIGN §2.2): adding and editing experts."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import EXPERT, grant_role, require_officer
from audit.services import record
from reviews.models import ExpertProfile
from reviews.services.common import ReviewError

EXPERT_FIELDS = (
    "kind",
    "specialty",
    "employer_name",
    "employer_credit_code",
    "title",
    "phone",
    "email",
    "is_active",
    "avoid_organizations",
)


def expert_save(
    *,
    actor,
    username: str,
    full_name: str,
    industry_fields=(),
    profile_id: int | None = None,
    **values,
) -> ExpertProfile:
    """Create or update an expert profile (and the expert's user account)."""
    require_officer(actor)
    unknown = set(values) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"unknown expert fields: {sorted(unknown)}")
    User = get_user_model()
    with transaction.atomic():
        if profile_id is not None:
            profile = ExpertProfile.objects.select_for_update().get(pk=profile_id)
            user = profile.user
            created = False
        else:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                user.set_unusable_password()
            elif user.organization_id or user.department_id:
                raise ReviewError(
                    _("The user name “%(name)s” belongs to an organization's user; choose another.")
                    % {"name": username}
                )
            elif ExpertProfile.objects.filter(user=user).exists():
                raise ReviewError(
                    _("The user name “%(name)s” is already in the expert pool.")
                    % {"name": username}
                )
            profile = ExpertProfile(user=user)
            created = True
        if full_name:
            user.last_name, user.first_name = full_name[:1], full_name[1:]
        if values.get("email"):
            user.email = values["email"]
        user.save()
        if not user.has_role(EXPERT):
            grant_role(user, EXPERT)
        before = {f: _plain(getattr(profile, f, None)) for f in EXPERT_FIELDS}
        for key, value in values.items():
            setattr(profile, key, value)
        profile.full_clean(exclude=["user"])
        profile.save()
        profile.industry_fields.set(industry_fields)
        changes = {
            f: [before[f], _plain(getattr(profile, f))]
            for f in EXPERT_FIELDS
            if before[f] != _plain(getattr(profile, f))
        }
        record(
            actor=actor,
            action="reviews.expert.created" if created else "reviews.expert.changed",
            target=profile,
            data={"label": "录入专家" if created else "修改专家信息", "changes": changes},
        )
    return profile


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value
