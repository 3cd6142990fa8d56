"""`make run PORT=…`: e-mail links (SITE_URL) point at the port the demo listens on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import os, runpy; runpy.run_path('scripts/run.py'); print(os.environ['SITE_URL'])"


def site_url_seen_by_children(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({}, "http://127.0.0.1:8000"),
        ({"HOST": "0.0.0.0", "PORT": "9000"}, "http://127.0.0.1:9000"),
        ({"HOST": "192.168.1.20", "PORT": "8001"}, "http://192.168.1.20:8001"),
        ({"PORT": "8123", "SITE_URL": "https://tic.example.cn"}, "https://tic.example.cn"),
    ],
)
def test_site_url_follows_the_port_unless_set(env, expected):
    assert site_url_seen_by_children(**env) == expected
