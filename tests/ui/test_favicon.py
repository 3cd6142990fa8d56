"""A favicon: linked from every page, and /favicon.ico (asked for by browsers) is no 404."""

import pytest
from django.contrib.staticfiles import finders
from PIL import Image


def test_the_favicon_is_a_vendored_icon():
    path = finders.find("favicon.ico")
    assert path, "static/favicon.ico is missing"
    with Image.open(path) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


@pytest.mark.django_db
def test_pages_link_the_favicon_and_favicon_ico_redirects_to_it(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
