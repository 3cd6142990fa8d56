"""The admin works for every registered model: each changelist, and one change page per model
with a row, opens for a superuser and shows Chinese."""

import io

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "accounts",
    "audit",
    "workdays",
    "notifications",
    "documents",
    "applications",
    "reviews",
    "centers",
    "evaluations",
}


def registered():
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS),
        key=lambda m: m._meta.label,
    )


def test_main_models_are_registered():
    labels = {m._meta.label for m in registered()}
    for label in [
        "accounts.User",
        "accounts.Organization",
        "accounts.Department",
        "applications.Application",
        "audit.AuditEvent",
        "workdays.Year",
        "reviews.ExpertProfile",
        "reviews.ScoreTemplate",
        "reviews.Panel",
        "centers.Center",
        "centers.Meeting",
        "centers.PublicityNotice",
        "centers.Objection",
        "centers.IndustryField",
        "documents.IssuedDocument",
    ]:
        assert label in labels, label


def test_every_changelist_and_a_change_page_open(client, settings, tmp_path):
    from django.core.management import call_command

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    seen_rows = []
    for model in registered():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        assert "选择" in response.content.decode() or "增加" in response.content.decode(), url
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            seen_rows.append(opts.label)
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(url).status_code == 200, url
    # the demo fills the lifecycle, so the change pages of the main models were opened too
    for label in ["applications.Application", "reviews.Panel", "centers.Center", "centers.Meeting"]:
        assert label in seen_rows, label


def test_admin_correction_of_an_organization_is_audited(client):
    from accounts.models import Organization
    from audit.models import AuditEvent
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(name="旧名称有限公司", address="旧地址")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:accounts_organization_change", args=[org.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "name": "新名称有限公司",
            "registered_city": org.registered_city_id,
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.name == "新名称有限公司"
    event = AuditEvent.objects.get(action="accounts.organization.admin_change")
    assert event.data["old"]["name"] == "旧名称有限公司"
    assert event.data["new"]["name"] == "新名称有限公司"
    assert Organization.objects.get(pk=org.pk).status == org.status
