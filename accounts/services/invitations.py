"""Staff invitations: the first user of an organization invites colleagues."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.roles import APPLICANT, grant_role
from audit.services import record
from notifications.services import notify


def is_first_user(user) -> bool:
    from accounts.models import OrganizationRegistration

    return (
        getattr(user, "is_authenticated", False)
        and user.organization_id is not None
        and OrganizationRegistration.objects.filter(
            organization_id=user.organization_id, registered_by=user
        ).exists()
    )


def organization_invite(
    *, actor, username: str, last_name: str, first_name: str, email: str
) -> User:
    """The first user of a verified organization invites a colleague (applicant role).

    The new account has no usable password; the e-mail carries a one-time link
    (Django's password-reset token) where the colleague sets one.
    """
    with transaction.atomic():
        if not is_first_user(actor):
            raise PermissionDenied(
                _("Only the organization's first registered user can invite other staff.")
            )
        org = Organization.objects.select_for_update().get(pk=actor.organization_id)
        if not org.is_verified:
            raise ValidationError(
                _("Other staff can be invited once the registration details are verified.")
            )
        person = User(
            username=username,
            last_name=last_name,
            first_name=first_name,
            email=email,
            organization=org,
        )
        person.set_unusable_password()
        person.save()
        grant_role(person, APPLICANT)
        record(
            actor=actor,
            action="organization.invite",
            target=org,
            data={"label": "邀请单位人员", "user": username, "email": email},
        )
        link = invitation_link(person)
        notify(
            recipients=[person],
            subject=f"{org.name}邀请您使用山西省技术创新中心管理平台",
            body=f"{actor}邀请您以{org.name}人员身份使用平台。请打开以下链接设置密码"
            f"（链接仅可使用一次）：\n{link}\n用户名：{username}",
            link=link,
        )
    return person


def invitation_link(user: User) -> str:
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("registration_accept_invitation", args=[uid, token])
    return settings.SITE_URL.rstrip("/") + path
