import pytest
from django.core.management import call_command

from tests.factories import UserFactory


@pytest.fixture
def superuser_client(client, db, settings):
    """A superuser's client over the demo data and a tiny generated province (bench/)."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    from bench.generate import build

    build(scale=0.0005, quiet=True)
    user = UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client
