import pytest

from tests.factories import officer

from .factories import plan_in_expert_review, pool


@pytest.fixture(autouse=True)
def _reviews_on_the_test_clock(request):
    """Deadlines and reminders count from "today": every reviews test runs on the test clock
    (TEST_NOW), not the real date. Tests with a real Celery worker keep the real clock: the
    worker is another process."""
    if request.node.get_closest_marker("celery") is not None:
        yield None
        return
    yield request.getfixturevalue("frozen_clock")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer_user(db):
    return officer(username="officer_t")


@pytest.fixture
def app(db):
    return plan_in_expert_review()


@pytest.fixture
def experts(db):
    return pool()
