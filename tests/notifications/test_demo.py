import pytest

from accounts import demo as accounts_demo
from notifications import demo
from notifications.models import Message

pytestmark = pytest.mark.django_db


def test_demo_welcome_messages_are_created_once():
    ctx = {}
    accounts_demo.seed(ctx)
    demo.seed(ctx)
    first = Message.objects.count()
    demo.seed(ctx)
    assert first == len(ctx["users"])
    assert Message.objects.count() == first
    assert Message.objects.filter(
        recipient=ctx["users"]["applicant"], read_at__isnull=True
    ).exists()
