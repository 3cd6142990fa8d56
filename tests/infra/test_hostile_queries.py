"""No 5xx from hostile input: every GET URL pattern, as every role, with hostile query values.

The URL resolver is walked (a new pattern is covered without editing this file); path
parameters are filled with demo objects (``seed_demo``), trying candidates until one the role
may open; each query parameter the view reads gets every hostile value. The parameters a view
reads are recorded while it runs (every key looked up in ``request.GET``), and the test fails
when a view reads one that ``PARAMS`` does not list, so a new parameter gets hostile values too.
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils.datastructures import MultiValueDict

from tests.infra.urlwalk import fill, params_of, walk

HOSTILE = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1",
    "0",
    "99999999999999999999999",
    "文本 text'\"<b>",
    "",
    "a\x00b",
]

ROLES = {
    "anonymous": None,
    "applicant": "applicant",
    "department_reviewer": "reviewer_ty",
    "provincial_officer": "officer",
    "expert": "expert1",
    "evaluator": "evaluator",
    "admin": "admin",
}

# What each view reads from request.GET (URL name -> parameters). Kept by hand; the recorder
# below fails the test when a view reads a parameter missing here.
PARAMS = {
    "login": ["next"],
    "logout": ["next"],
    "password_change": ["next"],
    "password_reset": ["next"],
    "two_factor_settings": ["next"],
    "two_factor_verify": ["next"],
    "two_factor_enrol": ["next"],
    "set_language": ["next", "language"],
    "applications:section": ["add"],
    "my_tasks": ["page"],
    "applications:compare": ["a", "b"],
    "applications:review_inbox": [
        "state",
        "q",
        "city",
        "kind",
        "field",
        "department",
        "sort",
        "submitted_from",
        "submitted_to",
        "page",
        "export",
    ],
    "reviews:expert_list": ["q", "kind", "active", "field", "page", "export"],
    "reviews:panel_inbox": ["q", "state", "panel", "page", "export"],
    "registration_pending": [
        "q",
        "status",
        "kind",
        "city",
        "date_from",
        "date_to",
        "page",
        "export",
    ],
    "centers:meeting_list": ["q", "status", "date_from", "date_to", "page", "export"],
    "centers:notice_list": ["q", "date_from", "date_to", "page", "export"],
    "centers:center_list": [
        "q",
        "status",
        "kind",
        "field",
        "city",
        "department",
        "date_from",
        "date_to",
        "page",
        "export",
    ],
    "reviews:panel_result": ["margin"],
    "centers:public_archive": ["page"],
    "centers:public_index": ["page"],
    "centers:registry": ["q", "kind", "city", "field", "status", "page"],
    "centers:registry_csv": ["q", "kind", "city", "field", "status"],
    "centers:registry_json": ["q", "kind", "city", "field", "status"],
    "centers:report_overdue": [
        "q",
        "status",
        "year",
        "department",
        "date_from",
        "date_to",
        "page",
        "export",
    ],
    "centers:objection_list": ["q", "status", "date_from", "date_to", "page", "export"],
    "centers:change_list": ["q", "status", "kind", "date_from", "date_to", "page", "export"],
    "notifications:list": ["unread", "page"],
    "verify:index": ["code"],
    "evaluations:list": ["status", "grade", "q", "page"],
    "evaluations:commission": ["evaluation"],
}
# Pages each role must reach with a real object (the test is not vacuous).
MUST_OPEN = {
    "anonymous": {"centers:registry", "centers:public_archive", "centers:registry_detail"},
    "applicant": {
        "applications:detail",
        "applications:section",
        "notifications:list",
        "centers:center_detail",
        "centers:profile_edit",
        "centers:report_detail",
        "centers:report_file",
    },
    "department_reviewer": {
        "applications:review_inbox",
        "applications:review_detail",
        "centers:report_overdue",
        "centers:report_detail",
    },
    "provincial_officer": {
        "reviews:panel_result",
        "reviews:expert_list",
        "centers:objection_list",
        "evaluations:list",
        "evaluations:commission",
        "evaluations:decide",
    },
    "expert": {"reviews:my_panels", "reviews:member_detail"},
    "evaluator": {"evaluations:assigned", "evaluations:detail", "evaluations:score"},
    "admin": {"admin:index", "admin:accounts_user_changelist", "admin:accounts_user_change"},
}
# The admin reads its own parameters (search, ordering, page, popups, filters); they are
# Django's own code, so only the common ones get hostile values, on each change list.
ADMIN_PARAMS = ["q", "o", "p"]


# --- the demo, once for the module --------------------------------------------------------------


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo data (seeded once per test: a module-wide seed would outlive pytest-django's
    per-test database handling)."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


# --- the URL patterns ---------------------------------------------------------------------------


def _model(label):
    """The model named by the last part of ``label`` in whichever app holds it now."""
    from django.apps import apps

    name = label.rsplit(".", 1)[-1]
    return next(m for m in apps.get_models() if m.__name__ == name)


def _ids(label, **filters):
    return list(_model(label).objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _pairs(label, parent, child="pk"):
    rows = _model(label).objects.order_by("pk").values_list(parent, child)
    return [tuple(r) for r in rows]


PK_MODELS = [  # (URL name prefix, model of <pk>)
    ("registration_", "applications.OrganizationRegistration"),
    ("organization_", "accounts.Organization"),
    ("applications:", "applications.Application"),
    ("reviews:expert_edit", "reviews.ExpertProfile"),
    ("reviews:visit_file", "reviews.VisitFile"),
    ("reviews:member_", "reviews.PanelMember"),
    ("reviews:", "reviews.Panel"),
    ("centers:center_", "centers.Center"),
    ("centers:profile_", "centers.Center"),
    ("centers:report_create", "centers.Center"),
    ("centers:report_", "centers.AnnualReport"),
    ("centers:change_", "centers.CenterChangeRequest"),
    ("centers:meeting_", "centers.Meeting"),
    ("centers:objection_", "centers.Objection"),
    ("centers:", "centers.PublicityNotice"),
    ("notifications:", "notifications.Message"),
    ("evaluations:", "evaluations.Evaluation"),
    ("documents:", "documents.IssuedDocument"),
]
SECOND = {  # (URL name, parameter) -> (model, field pointing to the first object)
    ("applications:attachment_download", "attachment_id"): (
        "applications.Attachment",
        "application_id",
    ),
    ("applications:attachment_remove", "attachment_id"): (
        "applications.Attachment",
        "application_id",
    ),
    ("reviews:panel_replace", "member_pk"): ("reviews.PanelMember", "panel_id"),
    ("reviews:panel_draw", "draw_pk"): ("reviews.PanelDraw", "panel_id"),
    ("centers:objection_evidence", "file_pk"): ("centers.ObjectionFile", "objection_id"),
    ("centers:report_file", "file_pk"): ("centers.AnnualReportFile", "report_id"),
    ("centers:change_attachment", "file_pk"): ("centers.ChangeAttachment", "request_id"),
    ("evaluations:file", "file_pk"): ("evaluations.EvaluationFile", "evaluation_id"),
}
LIMIT = 8  # candidates tried per pattern and group


def groups_for(name: str, route: str, params: list[str]) -> list[list[dict]]:
    """Groups of candidate path values; in each group the first one the role may open is used."""
    from django.apps import apps

    if not params:
        return [[{}]]
    if name.startswith("admin:"):
        if params == ["app_label"]:
            labels = re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1).split("|")
            return [[{"app_label": label}] for label in labels]
        if params == ["object_id"]:
            for model in apps.get_models():
                if (
                    f"{model._meta.app_label}_{model._meta.model_name}"
                    == name[6:].rsplit("_", 1)[0]
                ):
                    return [[{"object_id": pk} for pk in _ids(model._meta.label)[:3]]]
        return []
    if "uidb64" in params:
        return [[{"uidb64": "MQ", "token": "bad-token"}]]
    if name == "applications:section":
        from applications import sections

        apps_ = _ids("applications.Application")[:LIMIT]
        return [[{"pk": a, "code": code} for a in apps_] for code in sections.BY_CODE]
    if name in ("applications:version", "applications:version_pdf"):
        rows = _pairs("applications.ApplicationVersion", "application_id", "number")
        return [[{"pk": a, "number": n} for a, n in rows[:LIMIT]]]
    if name == "reviews:member_visit_note":
        from reviews.models import PanelMember, Visit

        rows = [
            {"pk": m, "visit_pk": v}
            for v, panel in Visit.objects.values_list("pk", "panel_id")
            for m in PanelMember.objects.filter(panel_id=panel).values_list("pk", flat=True)
        ]
        return [rows[:LIMIT]]
    if name == "evaluations:results_round":
        from evaluations.selectors import result_rounds

        return [[{"year": y} for y in result_rounds()[:3]]]
    if name == "centers:registry_detail":
        numbers = _model("centers.Center").objects.values_list("number", flat=True)
        return [[{"number": n} for n in numbers[:3]]]
    if len(params) == 2 and (name, params[1]) in SECOND:
        label, parent = SECOND[(name, params[1])]
        rows = _pairs(label, parent)
        return [[{params[0]: a, params[1]: b} for a, b in rows[:LIMIT]]]
    if params == ["item_pk"]:
        label = "centers.PublicityItem" if name == "centers:designate" else "centers.MeetingItem"
        return [[{"item_pk": pk} for pk in _ids(label)[:LIMIT]]]
    if params == ["center_pk"]:
        return [[{"center_pk": pk} for pk in _ids("centers.Center")[:LIMIT]]]
    if params == ["app_pk"]:
        return [[{"app_pk": pk} for pk in _ids("applications.Application")[:LIMIT]]]
    if params == ["pk"]:
        for prefix, label in PK_MODELS:
            if name.startswith(prefix):
                return [[{"pk": pk} for pk in _ids(label)[:LIMIT]]]
    # A pattern added since this table was written: small ids still reach the view (add its
    # model above so that the role's own objects are found).
    return [[dict.fromkeys(params, n) for n in (1, 2, 3)]]


# --- reading what a view reads --------------------------------------------------------------------


@contextmanager
def recording_query_reads():
    """Every key looked up in a QueryDict while inside; the set is yielded."""
    from django.http import QueryDict

    seen: set[str] = set()
    originals = {
        n: getattr(MultiValueDict, n) for n in ("__getitem__", "get", "getlist", "__contains__")
    }

    def wrap(original):
        def method(self, key, *args, **kwargs):
            if isinstance(self, QueryDict):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for n, original in originals.items():
        setattr(MultiValueDict, n, wrap(original))
    try:
        yield seen
    finally:
        for n, original in originals.items():
            setattr(MultiValueDict, n, original)


def client_for(role):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    username = ROLES[role]
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


SKIP = {"logout", "admin:logout", "admin:view_on_site", "healthz"}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_get_page_survives_hostile_query_values_for_every_role(demo, role):
    """One test per role (``-k expert`` narrows a run while fixing a failure), so that
    pytest-xdist spreads the roles over its workers."""
    unlisted: dict[str, set] = {}
    opened: set[str] = set()
    logging.disable(logging.WARNING)  # thousands of expected 403/404 lines
    try:
        problems = hostile_requests(role, unlisted, opened)
    finally:
        logging.disable(logging.NOTSET)
    assert not problems, "\n".join(f"{role}: {p}" for p in problems)
    assert not unlisted, f"views read query parameters that PARAMS does not list: {unlisted}"
    names = MUST_OPEN.get(role, set())
    assert names <= opened, f"{role} could not open {names - opened}"


def refused_by_role(response) -> bool:
    """Refused whatever the object: login required, or a page for other roles."""
    if response.status_code == 302 and "/login/" in response.get("Location", ""):
        return True
    return response.status_code == 403 and "此页面仅供以下角色使用" in response.content.decode()


def hostile_requests(role, unlisted, opened) -> list[str]:
    client = client_for(role)
    problems: list[str] = []
    for route, name in walk():
        admin = name.startswith("admin:")
        if name in SKIP or (admin and role != "admin" and name != "admin:index"):
            continue
        for group in groups_for(name, route, params_of(route)):
            chosen = None
            for values in group:
                path = fill(route, values)
                with recording_query_reads() as read:
                    # A probe parameter makes views bind their filter forms (and so read them).
                    response = client.get(path, {} if admin else {"_probe": "1"})
                if response.status_code >= 500:
                    problems.append(f"{response.status_code} {path}")
                if response.status_code == 200:
                    chosen = path, read
                    break
                if refused_by_role(response):
                    break
            if chosen is None:
                continue
            path, read = chosen
            opened.add(name)
            read.discard("_probe")
            if admin:
                params = set(ADMIN_PARAMS) if name.endswith("_changelist") else set()
            else:
                params = set(PARAMS.get(name, []))
                if read - params:
                    unlisted.setdefault(name, set()).update(read - params)
                params |= read
            for param in sorted(params):
                for value in HOSTILE:
                    status = client.get(path, {param: value}).status_code
                    if status >= 500:
                        problems.append(f"{status} {path}?{param}={value!r}")
    return problems
