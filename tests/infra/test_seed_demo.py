import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User

DEMO_USERNAMES = [
    "applicant",
    "applicant2",
    "reviewer_ty",
    "reviewer_dt",
    "officer",
    "expert1",
    "evaluator",
    "admin",
]


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


@pytest.mark.django_db
def test_seed_demo_creates_accounts_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    first = row_counts()

    assert f"密码均为 {DEMO_PASSWORD}" in out
    for username in DEMO_USERNAMES:
        assert username in out
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
    assert "申报单位" in out and "省科技厅" in out  # role labels in Chinese

    call_command("seed_demo")
    assert row_counts() == first
