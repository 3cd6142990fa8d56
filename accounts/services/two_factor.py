"""Two-factor sign-in (TOTP) devices: enrolment, backup codes, verification, reset.

A user's authenticator is a django-otp ``TOTPDevice``; it counts only once confirmed (the
user typed a code it computed). The backup codes are the tokens of one ``StaticDevice``:
ten random codes, shown once, each deleted when used. Every change writes an audit event.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from audit.services import record

from ..roles import ADMINISTRATOR, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles

REQUIRED_ROLES = {PROVINCIAL_OFFICER, DEPARTMENT_REVIEWER, ADMINISTRATOR}
AUTHENTICATOR = "authenticator"
BACKUP = "backup"


def required_for(user) -> bool:
    """The second factor is compulsory for this user (TWO_FACTOR_REQUIRED on)."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(user_roles(user) & REQUIRED_ROLES)


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_devices(user) -> bool:
    """Any confirmed device: then every sign-in needs the second factor."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def new_authenticator(user, key: str | None = None) -> TOTPDevice:
    """An unsaved authenticator for ``user`` with ``key`` (hex; a new random one if None).

    The enrolment page keeps the key in the session until the user confirms it, so showing
    the page stores nothing."""
    return TOTPDevice(user=user, name=AUTHENTICATOR, key=key or random_hex(20), confirmed=True)


def _new_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def confirm_enrolment(*, actor, key: str, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Store the authenticator with ``key`` once the user typed a code it computed; returns
    it and ten new backup codes, or None when the code is wrong or the user already has an
    authenticator (a second press of the same form)."""
    device = new_authenticator(actor, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    token = "".join(str(token).split())
    if not (token.isdigit() and len(token) == device.digits):
        return None
    if not totp.verify(int(token), device.tolerance):
        return None
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        if is_enrolled(actor):
            return None
        device.last_t = totp.t()
        device.save()
        codes = _new_backup_codes(actor)
        record(
            actor=actor,
            action="two_factor.enrol",
            target=actor,
            data={"label": "启用两步验证", "backup_codes": len(codes)},
        )
        return device, codes


def regenerate_backup_codes(*, actor) -> list[str]:
    with transaction.atomic():
        codes = _new_backup_codes(actor)
        record(
            actor=actor,
            action="two_factor.backup_codes",
            target=actor,
            data={"label": "重新生成备用验证码", "backup_codes": len(codes)},
        )
        return codes


def verify(*, actor, token: str):
    """The confirmed device that accepts this code (a backup code is used up), or None."""
    token = "".join(str(token).split()).lower()
    if not token or len(token) > 16:
        return None
    with transaction.atomic():
        for device in devices_for_user(actor, confirmed=True, for_verify=True):
            if device.verify_token(token):
                if isinstance(device, StaticDevice):
                    record(
                        actor=actor,
                        action="two_factor.backup_code_used",
                        target=actor,
                        data={"label": "使用备用验证码登录", "remaining": device.token_set.count()},
                    )
                return device
    return None


def remaining_backup_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=BACKUP).count()


def remove_devices(*, actor, user) -> int:
    """Delete every device of ``user``: an administrator's reset, or a user who turns the
    optional second factor off (``actor`` is the user). The next sign-in enrols anew when
    the second factor is required."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
        by_self = actor.pk == user.pk
        record(
            actor=actor,
            action="two_factor.disable" if by_self else "two_factor.reset",
            target=user,
            data={
                "label": "关闭两步验证" if by_self else "管理员重置两步验证",
                "devices": removed,
            },
        )
        return removed
