from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD
from accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = "Create demo organizations, users and data so that every role has something to do (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on; it must never touch a production database."
            )
        ctx = {"stdout": self.stdout}
        # Each project app may ship a ``demo`` module with ``seed(ctx)``; called in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for username, role in ctx.get("accounts", []):
            self.stdout.write(f"  {username:<14} {ROLE_LABELS[role]}")
