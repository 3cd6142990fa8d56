"""The public objection limit counts per real client behind the proxy (issue 15, item 3)."""

import pytest
from django.test import Client

from centers.models import Objection

from .test_public_views import current_plan, post_objection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_known_ahead")]


def test_objection_limit_is_per_client_behind_nginx(officer, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CENTERS_OBJECTION_RATE = (2, 3600)
    _app, notice = current_plan(officer)
    item = notice.items.get()
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert post_objection(first, notice, item).status_code == 302
    assert post_objection(first, notice, item).status_code == 302
    refused = post_objection(first, notice, item)
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode()
    # another member of the public, through the same nginx, is not counted with the first
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert post_objection(second, notice, item).status_code == 302
    assert sorted(Objection.objects.values_list("client_ip", flat=True)) == [
        "198.51.100.7",
        "203.0.113.5",
        "203.0.113.5",
    ]


def test_a_forged_header_from_the_internet_does_not_reset_the_count(officer, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CENTERS_OBJECTION_RATE = (1, 3600)
    _app, notice = current_plan(officer)
    item = notice.items.get()
    direct = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert post_objection(direct, notice, item).status_code == 302
    direct = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert post_objection(direct, notice, item).status_code == 429
    assert list(Objection.objects.values_list("client_ip", flat=True)) == ["198.51.100.9"]
