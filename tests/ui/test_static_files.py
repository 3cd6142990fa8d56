"""Light pages (issue 16, item 5): collectstatic writes hashed names with gzip and Brotli
copies; WhiteNoise serves them compressed with a far-future immutable cache; a public page
with everything it loads stays under 100 KB transferred on a cold load."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def served(collected, settings):
    settings.STATIC_ROOT = collected
    settings.STORAGES = STORAGE
    return Client(headers={"accept-encoding": "gzip, br"})  # a new client: a new WhiteNoise


def test_collectstatic_writes_hashed_and_compressed_files(collected):
    css = [p.name for p in (collected / "css").iterdir()]
    assert any(re.fullmatch(r"site\.[0-9a-f]{12}\.css", n) for n in css), css
    assert any(re.fullmatch(r"site\.[0-9a-f]{12}\.css\.gz", n) for n in css), css
    assert any(re.fullmatch(r"site\.[0-9a-f]{12}\.css\.br", n) for n in css), css
    assert (collected / "staticfiles.json").exists()


@pytest.mark.parametrize(
    "path", ["/", "/centers/public/", "/centers/registry/", "/accounts/login/"]
)
def test_public_pages_load_hashed_compressed_cached_assets_under_100_kb(served, path):
    response = served.get(path)
    assert response.status_code == 200
    html = response.content
    assets = ASSET.findall(html.decode())
    assert any(re.search(r"/bootstrap\.min\.[0-9a-f]{12}\.css$", a) for a in assets), assets
    total = len(gzip.compress(html))  # what a gzip-ing front server sends for the page itself
    for url in assets:
        asset = served.get(url)
        assert asset.status_code == 200, url
        if not url.endswith((".ico", ".png", ".woff2")):  # compressed formats stay as they are
            assert asset.get("Content-Encoding") in ("br", "gzip"), url
        assert (
            "immutable" in asset["Cache-Control"] and "max-age=315360000" in asset["Cache-Control"]
        )
        total += len(b"".join(asset.streaming_content))
    assert total < 100 * 1024, f"{path}: {total} bytes"


def test_the_favicon_redirect_points_at_the_hashed_icon(served):
    response = served.get("/favicon.ico")
    assert response.status_code == 301
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{12}\.ico", response["Location"])
    assert served.get(response["Location"]).status_code == 200
