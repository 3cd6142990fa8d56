"""Every plan section survives "open, press 保存草稿 without touching anything".

The page is read as a browser reads it (tests/forms/browser.py): a date input whose value
is not ISO submits nothing, exactly what lost the 声明日期 under the Chinese locale.
"""

import copy

import pytest
from django.conf import settings
from django.urls import reverse

from applications import sections
from applications.models import Application
from applications.testing import make_complete_plan
from tests.factories import OrganizationFactory, applicant

from .browser import form_data, form_with

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]
KINDS = ["domain", "comprehensive"]


def fill_everything(app: Application) -> Application:
    """The complete plan plus every optional field, with fractional and large numbers."""
    plan = copy.deepcopy(app.plan)
    plan["governance"]["transition_plan"] = "三年内完成向独立法人实体的过渡。"
    plan["facilities"]["area_m2"] = 12345.5
    plan["facilities"]["equipment_value_wan"] = 1234567.25
    plan["investment"]["lead_commitment_wan"] = 5000.75
    plan["investment"]["cobuilder_commitments"][0]["amount_wan"] = 800.5
    plan["targets"]["items"][0]["baseline"] = 1200.5
    plan["team"]["size"] = 1234
    if app.kind == "comprehensive":
        plan["lead"]["headquarters"]["area_m2"] = 2600.25
    Application.objects.filter(pk=app.pk).update(plan=plan)
    app.refresh_from_db()
    return app


@pytest.fixture(params=KINDS)
def plan(request):
    org = OrganizationFactory(name="太原测试半导体有限公司")
    user = applicant(org)
    app = fill_everything(make_complete_plan(org, user, kind=request.param))
    return app, user


def stored(app: Application) -> dict:
    app.refresh_from_db()
    return {
        "plan": copy.deepcopy(app.plan),
        "name": app.name,
        "kind": app.kind,
        "industry_field": app.industry_field_id,
        "strategic_areas": sorted(app.strategic_areas.values_list("pk", flat=True)),
        "department": app.department_id,
    }


def test_the_filled_plan_has_a_value_in_every_field(plan):
    app, _user = plan
    for section in sections.PLAN_SECTIONS:
        data = app.plan.get(section.code) or {}
        for f in section.fields_for(app.kind):
            assert sections.get_path(data, f.key) not in (None, "", []), (section.code, f.key)
        for spec in section.lists_for(app.kind):
            assert sections.get_path(data, spec.key), (section.code, spec.key)


EDITABLE = [s.code for s in sections.SECTIONS if s.code != "attachments"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", EDITABLE)
def test_saving_a_section_unchanged_keeps_the_stored_data(client, plan, code, language):
    app, user = plan
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("applications:section", args=[app.pk, code])
    before = stored(app)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{"zh-Hans" if language == "zh-hans" else "en"}"' in html
    data = form_data(html, button="save")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(app) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_and_numbers_render_what_their_input_types_accept(client, plan, language):
    """The values as rendered, not only as posted: 2026-01-15, 12345.5 (not 2026/01/15, 12,345.5)."""
    app, user = plan
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    def section_form(code):
        url = reverse("applications:section", args=[app.pk, code])
        html = client.get(url).content.decode()
        return form_with(html, button="save")

    dates = {a["name"]: a.get("value") for a in section_form("declaration").inputs_of_type("date")}
    assert dates == {"f-signed_on": "2026-01-15"}
    rows = section_form("achievements").inputs_of_type("date")
    assert [a.get("value") for a in rows] == ["2023-05-10", "2024-03-01"]
    numbers = {
        a["name"]: a.get("value") for a in section_form("facilities").inputs_of_type("number")
    }
    assert numbers == {"f-area_m2": "12345.5", "f-equipment_value_wan": "1234567.25"}
    team = {a["name"]: a.get("value") for a in section_form("team").inputs_of_type("number")}
    assert team == {"f-size": "1234"}
