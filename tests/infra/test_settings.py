"""Settings from the environment: production refuses to start half-configured and
passes the deployment checks; the migrations match the models."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k" * 20 + "-Q7vX2pL9sRt4wYz8bNc3mJh6fGd1aEe5uIo0"  # 56 characters
PG_URL = "postgresql://sxtic:secret@db.internal:5432/sxtic"

# Variables of the calling environment that would change what the subprocess sees.
SETTINGS_VARS = [
    "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DEBUG",
    "CSRF_TRUSTED_ORIGINS", "EMAIL_BACKEND", "CELERY_TASK_DEFAULT_QUEUE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest; never in deployment
]  # fmt: skip


def manage(*args, tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    base.update(VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_anything_names_every_missing_variable(tmp_path):
    result = manage("check", tmp_path=tmp_path, DJANGO_ENV="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_production_without_secret_key_names_it(tmp_path):
    result = manage(
        "check", tmp_path=tmp_path, DJANGO_ENV="production", ALLOWED_HOSTS="tic.example.cn",
        DATABASE_URL=PG_URL,
    )  # fmt: skip
    assert result.returncode != 0
    assert "needs these environment variables: SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" not in result.stderr.split("needs these environment variables:")[1]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "sqlite:///tmp/x.sqlite3"}, "PostgreSQL DATABASE_URL"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
    ],
)
def test_production_refuses_sqlite_and_short_secret(tmp_path, env, message):
    full = {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "tic.example.cn", "DATABASE_URL": PG_URL}
    result = manage("check", tmp_path=tmp_path, DJANGO_ENV="production", **{**full, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_passes_check_deploy_without_warnings(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
        DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="tic.example.cn",
        DATABASE_URL=PG_URL, REDIS_URL="redis://redis.internal:6379/0",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_settings_values(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    result = manage(
        "shell", "--no-imports", "-c", code, tmp_path=tmp_path, DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="tic.example.cn", DATABASE_URL=PG_URL, REDIS_URL="redis://r:6379/0",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "True", "django.db.backends.postgresql",
        "redis://r:6379/0", "zh-hans", "Asia/Shanghai",
    ]  # fmt: skip


def test_no_environment_is_a_debug_demo_on_sqlite_in_var(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL)"
    )
    result = manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    debug, name, broker = result.stdout.split()
    assert debug == "True"
    assert name == str(tmp_path / "db.sqlite3")
    assert broker == "filesystem://"


def test_makemigrations_check_is_clean(tmp_path):
    result = manage("makemigrations", "--check", "--dry-run", tmp_path=tmp_path)
    assert result.returncode == 0, f"models without migrations:\n{result.stdout}{result.stderr}"
    assert "No changes detected" in result.stdout
