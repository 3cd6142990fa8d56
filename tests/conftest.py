import pytest
from django.db import connection


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split(":", 1)[0]
    return [f"database: {engine}; celery broker: {broker}"]


@pytest.fixture
def db_vendor(db):
    return connection.vendor
