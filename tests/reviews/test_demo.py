import pytest
from django.core.management import call_command

from reviews.models import ExpertProfile, Panel, PanelMember

pytestmark = pytest.mark.django_db


def counts():
    return (ExpertProfile.objects.count(), Panel.objects.count(), PanelMember.objects.count())


def test_demo_gives_experts_profiles_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    assert ExpertProfile.objects.filter(user__username="expert1", kind="technical").exists()
    assert set(ExpertProfile.objects.values_list("kind", flat=True)) == {
        "technical",
        "management",
        "financial",
    }
    for panel in Panel.objects.all():
        assert panel.members.filter(expert__user__username="expert1").exists()
    call_command("seed_demo")
    assert counts() == first
