import pytest

from applications.testing import make_complete_plan
from tests.factories import OrganizationFactory, applicant


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def org(db):
    return OrganizationFactory(name="太原测试半导体有限公司")


@pytest.fixture
def user(org):
    return applicant(org)


@pytest.fixture
def plan(org, user):
    return make_complete_plan(org, user)
