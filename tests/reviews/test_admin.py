import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR
from reviews.models import ScoreTemplate
from tests.factories import UserFactory

from .factories import form_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(username="sysadmin", is_staff=True, roles=[ADMINISTRATOR])


def test_administrator_edits_templates_until_a_panel_uses_them(
    client, admin_user, app, officer_user, experts
):
    client.force_login(admin_user)
    template = ScoreTemplate.objects.get(is_default=True)
    page = client.get(
        reverse("admin:reviews_scoretemplate_change", args=[template.pk])
    ).content.decode()
    assert 'name="criteria-0-max_points"' in page
    form_panel(app, officer_user)
    page = client.get(
        reverse("admin:reviews_scoretemplate_change", args=[template.pk])
    ).content.decode()
    assert 'name="criteria-0-max_points"' not in page
    assert "建设基础与条件" in page
    client.post(
        reverse("admin:reviews_scoretemplate_changelist"),
        {"action": "new_version", "_selected_action": [template.pk]},
    )
    copy = ScoreTemplate.objects.get(name=template.name, version=2)
    assert not copy.is_frozen and copy.criteria.count() == 6
    assert sum(c.max_points for c in copy.criteria.all()) == 100


def test_default_template_totals_100_points():
    template = ScoreTemplate.objects.get(is_default=True)
    assert sum(c.max_points for c in template.criteria.all()) == 100
    assert template.criteria.count() == 6
