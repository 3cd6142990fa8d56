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
