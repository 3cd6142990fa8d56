import unicodedata
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from accounts.demo import DEMO_PASSWORD
from accounts.roles import ROLE_LABELS


def _pad(text: str, width: int) -> str:
    """Left-align text to a display width (CJK characters take two columns)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


class Command(BaseCommand):
    help = "Create demo organizations, users and data so that every role has something to do (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on; it must never touch a production database."
            )
        ctx = {"stdout": self.stdout}
        # Each project app may ship a ``demo`` module with ``seed(ctx)``; called in INSTALLED_APPS order.
        with translation.override(settings.LANGUAGE_CODE):
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                with transaction.atomic():
                    module.seed(ctx)
            users = ctx.get("users", {})
            self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
            for username, role in ctx.get("accounts", []):
                user = users.get(username)
                unit = getattr(user, "unit", None) if user else None
                name = f"{user}" if user else ""
                where = f"（{unit}）" if unit else ""
                self.stdout.write(
                    f"  {_pad(username, 14)}{_pad(str(ROLE_LABELS[role]), 16)}{name}{where}"
                )
