"""Permission matrix: every URL pattern, every role that must be refused, GET and POST.

``MATRIX`` has one entry per URL name of the project (the admin is covered by one staff-only
check). An entry either names the object the URL takes (a demo object of the Taiyuan lead
organization, its Taiyuan bureau or its panels) and so must refuse every role in ``ROLES`` —
anonymous, an applicant of another organization, another city's bureau, an expert not on the
panel, an evaluator of another institution and the staff of another center — or is classified
``public`` / ``own`` (no id; the view shows only the user's own things) with a reason.

Each refused role GETs and POSTs (plausible form data, harvested from the form the page shows
its rightful user) each object URL: the answer must be a login redirect, 403 or 404 (405 for a
POST to a read-only view), and nothing in the database may change (row counts of every model
after each request, the full content of every table at the end). A URL pattern without an
entry fails the test, so a new page gets its row here.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.infra.matrix_support import (
    CENTER,
    GENERIC,
    LEAD,
    NOW,
    content,
    counts,
    foreign_world,
    model_named,
    post_data,
    rewind,
)
from tests.infra.urlwalk import fill, walk

# The roles that must be refused every object below (username; built in ``foreign_world``).
ROLES = {
    "anonymous": None,
    "applicant_other_org": "applicant2",  # demo staff of the Datong organization
    "bureau_other_city": "reviewer_dt",  # demo Datong bureau
    "expert_not_on_panel": "mx_expert",  # or a demo expert seated only on other panels
    "evaluator_other_institution": "mx_evaluator",
    "center_other_org": "mx_center",  # staff of the lead organization of another center
}
# Demo users who may open the objects: their page gives the form fields POSTed by the others.
RIGHTFUL = ["applicant", "reviewer_ty", "officer", "expert1", "admin"]


@dataclass
class Entry:
    target: object = None  # callable -> URL kwargs of the object, or None (no id)
    public: str = ""  # reason the page is open to everyone
    own: str = ""  # reason: no id, shows only the user's own things (or a role's queue)
    refuse: frozenset = field(default_factory=lambda: frozenset(ROLES))


def public(reason):
    return Entry(public=reason)


def own(reason):
    return Entry(own=reason)


CANDIDATES = 8  # objects tried per URL until a rightful user opens one
ATTACKED = 4  # objects attacked per URL: that one and the next candidates


def _rows(label, filters):
    rows = list(model_named(label).objects.filter(**filters).order_by("pk")[:CANDIDATES])
    assert rows, f"no {label} with {filters}"
    return rows


def pk(label, **filters):
    return lambda: [{"pk": obj.pk} for obj in _rows(label, filters)]


def pair(label, parent, second, **filters):
    return lambda: [{"pk": getattr(o, parent), second: o.pk} for o in _rows(label, filters)]


def one(label, name, **filters):
    return lambda: [{name: obj.pk} for obj in _rows(label, filters)]


def version():
    rows = _rows("applications.ApplicationVersion", {"application__organization__name": LEAD})
    return [{"pk": v.application_id, "number": v.number} for v in rows]


def section():
    from applications import sections

    return [{**app, "code": code} for app in OWN_APP() for code in list(sections.BY_CODE)[:2]]


def visit_note():
    visit = model_named("reviews.Visit").objects.order_by("pk").first()
    member = visit.panel.members.filter(expert__user__username="expert1").first()
    return [{"pk": member.pk, "visit_pk": visit.pk}]


APP = {"organization__name": LEAD}
OWN_APP = pk("applications.Application", **APP)
LEAD_PANEL = {"application__organization__name": LEAD}
PANEL = pk("reviews.Panel", status="open", **LEAD_PANEL)


def members(**filters):
    """Seats on the lead organization's panels; the seat's own expert is the rightful user."""
    rows = _rows("reviews.PanelMember", {"panel__application__organization__name": LEAD, **filters})
    return lambda: [{"pk": m.pk, "_by": m.expert.user.username} for m in rows]


def by_evaluator(**filters):
    """Evaluations assigned to the demo institution; its evaluator is the rightful user."""
    rows = lambda: _rows("evaluations.Evaluation", {**CENTER, **filters})  # noqa: E731
    return lambda: [{"pk": e.pk, "_by": "evaluator"} for e in rows()]


MEMBER = lambda: members()()  # noqa: E731
CHAIR = lambda: members(is_chair=True, status="accepted")()  # noqa: E731
# an organization registering in Taiyuan, verified by the Taiyuan bureau
REGISTRATION = pk(
    "accounts.Organization",
    registration__isnull=False,
    verifying_department__name="太原市科学技术局",
)


def export_job():
    """A finished list export of the officer: private to the officer."""
    from django.core.files.base import ContentFile

    job_model = model_named("accounts.ExportJob")
    job = job_model.objects.filter(user__username="officer").first()
    if job is None:
        job = job_model(
            user=get_user_model().objects.get(username="officer"),
            list_name="plans",
            title="建设方案",
            fmt="csv",
            status="ready",
            rows=1,
        )
        job.save()
        job.file.save("plans.csv", ContentFile(b"a\n"))
    return [{"pk": job.pk, "_by": "officer"}]


MATRIX: dict[str, Entry] = {
    # --- accounts ---
    "home": public("the start page; shows only the user's own tasks"),
    "my_tasks": own("the user's own tasks, from the same providers as the home page"),
    "healthz": public("health check, no data"),
    # another city's bureau sees its own department's figures there, never these
    "dashboard": own("the figures of the user's own department (all for the province)"),
    "dashboard_csv": Entry(
        lambda: [{"key": "plans-by-state", "_by": "officer"}],
        refuse=frozenset(ROLES) - {"bureau_other_city"},
    ),
    "": public("favicon"),
    "register": public("registration of a new organization is for the public"),
    "registration_pending": own("the registrations its own department verifies"),
    "export_download": Entry(export_job),
    "registration_pending_detail": Entry(REGISTRATION),
    "registration_licence": Entry(REGISTRATION),
    "registration_invite": own("an organization's staff invite colleagues to their own unit"),
    "registration_accept_invitation": public("signed token in the URL; a bad token is refused"),
    "login": public("sign-in"),
    "logout": public("sign-out"),
    "password_change": own("the user's own password"),
    "password_change_done": own("the user's own password"),
    "two_factor_settings": own("the user's own second factor (accounts/two_factor.py)"),
    "two_factor_verify": own("the code step of the user's own sign-in"),
    "two_factor_enrol": own("the user's own authenticator; the key lives in the session"),
    "password_reset": public("password reset by e-mail"),
    "password_reset_done": public("password reset by e-mail"),
    "password_reset_confirm": public("signed token in the URL"),
    "password_reset_complete": public("password reset by e-mail"),
    "organization_detail": Entry(pk("accounts.Organization", name=LEAD)),
    "organization_edit": Entry(pk("accounts.Organization", name=LEAD)),
    "set_language": public("language cookie"),
    # --- applications ---
    "applications:home": own("the user's own organization's plans"),
    "applications:create": own("a new plan of the user's own organization"),
    "applications:detail": Entry(OWN_APP),
    "applications:section": Entry(section),
    "applications:attachment_download": Entry(
        pair(
            "applications.Attachment",
            "application_id",
            "attachment_id",
            application__organization__name=LEAD,
        )
    ),
    "applications:attachment_remove": Entry(
        pair(
            "applications.Attachment",
            "application_id",
            "attachment_id",
            application__organization__name=LEAD,
            application__status="draft",
        )
    ),
    "applications:submit": Entry(pk("applications.Application", status="draft", **APP)),
    "applications:withdraw": Entry(pk("applications.Application", status="dept_review", **APP)),
    "applications:version": Entry(version),
    "applications:compare": Entry(OWN_APP),
    "applications:version_pdf": Entry(version),
    "applications:draft_pdf": Entry(OWN_APP),
    "applications:review_inbox": own("the plans routed to the user's own department"),
    "applications:bulk_recheck": Entry(),
    "applications:review_detail": Entry(
        pk("applications.Application", status="dept_review", **APP)
    ),
    # --- reviews ---
    "reviews:expert_list": Entry(),
    "reviews:expert_new": Entry(),
    "reviews:expert_edit": Entry(pk("reviews.ExpertProfile", user__username="expert1")),
    "reviews:expert_import": Entry(),
    "reviews:expert_import_template": Entry(),
    "reviews:panel_inbox": Entry(),
    "reviews:panel_new": Entry(
        one("applications.Application", "app_pk", status="province_recheck", **APP)
    ),
    "reviews:panel_detail": Entry(PANEL),
    "reviews:panel_replace": Entry(
        pair(
            "reviews.PanelMember",
            "panel_id",
            "member_pk",
            panel__status="open",
            panel__application__organization__name=LEAD,
        )
    ),
    "reviews:panel_chair": Entry(PANEL),
    "reviews:panel_draw": Entry(
        pair(
            "reviews.PanelDraw", "panel_id", "draw_pk", panel__application__organization__name=LEAD
        )
    ),
    "reviews:panel_result": Entry(PANEL),
    "reviews:visit_new": Entry(PANEL),
    "reviews:panel_conclude": Entry(PANEL),
    "reviews:opinion_pdf": Entry(pk("reviews.Panel", status="concluded", **LEAD_PANEL)),
    "reviews:visit_file": Entry(pk("reviews.VisitFile")),
    "reviews:panel_pack": Entry(PANEL),
    "reviews:member_pack": Entry(MEMBER),
    "reviews:my_panels": own("the expert's own panel seats"),
    "reviews:member_detail": Entry(MEMBER),
    "reviews:member_respond": Entry(MEMBER),
    "reviews:member_declare": Entry(MEMBER),
    "reviews:member_plan": Entry(MEMBER),
    "reviews:member_score": Entry(MEMBER),
    "reviews:member_peers": Entry(MEMBER),
    "reviews:member_opinion": Entry(CHAIR),
    "reviews:member_visit_note": Entry(visit_note),
    "reviews:improve": Entry(one("applications.Application", "app_pk", **APP)),
    # --- centers: public side ---
    "centers:public_index": public("publicity notices are public (Art. 9)"),
    "centers:public_archive": public("past publicity notices are public"),
    "centers:publicity_feed": public("the Atom feed of the public publicity notices"),
    "centers:results_feed": public("the Atom feed of public results (designations)"),
    "centers:public_notice": public("a publicity notice is public"),
    "centers:public_notice_pdf": public("a publicity notice is public"),
    "centers:objection_create": public("anyone may object during publicity (Art. 9)"),
    "centers:objection_receipt": public("the objector's own receipt (session)"),
    "centers:objection_status": public("status looked up by receipt number and code"),
    "centers:registry": public("the registry of designated centers is public"),
    "centers:registry_csv": public("the registry of designated centers is public"),
    "centers:registry_json": public("the registry of designated centers is public"),
    "centers:registry_detail": public("the registry of designated centers is public"),
    # --- centers: the center's own side ---
    "centers:my_centers": own("the centers of the user's own organization"),
    "centers:center_list": own("all centers for the province, its own for a department"),
    "centers:center_detail": Entry(pk("centers.Center", lead_organization__name=LEAD)),
    "centers:profile_edit": Entry(pk("centers.Center", lead_organization__name=LEAD)),
    "centers:report_create": Entry(pk("centers.Center", lead_organization__name=LEAD)),
    "centers:report_detail": Entry(pk("centers.AnnualReport", **CENTER)),
    "centers:report_edit": Entry(pk("centers.AnnualReport", **CENTER)),
    "centers:report_decide": Entry(pk("centers.AnnualReport", **CENTER)),
    "centers:report_file": Entry(pair("centers.AnnualReportFile", "report_id", "file_pk")),
    "centers:report_overdue": own("overdue reports of the centers its own department follows"),
    # --- centers: the office ---
    "centers:meeting_list": Entry(),
    "centers:meeting_detail": Entry(pk("centers.Meeting")),
    "centers:meeting_add_items": Entry(pk("centers.Meeting")),
    "centers:meeting_minutes": Entry(pk("centers.Meeting")),
    "centers:meeting_minutes_download": Entry(pk("centers.Meeting", minutes__gt="")),
    "centers:meeting_close": Entry(pk("centers.Meeting")),
    "centers:meeting_decide": Entry(one("centers.MeetingItem", "item_pk")),
    "centers:meeting_remove_item": Entry(one("centers.MeetingItem", "item_pk")),
    "centers:notice_list": Entry(),
    "centers:notice_publish": Entry(),
    "centers:notice_manage": Entry(pk("centers.PublicityNotice")),
    "centers:designate": Entry(one("centers.PublicityItem", "item_pk")),
    "centers:objection_list": Entry(),
    "centers:objection_detail": Entry(pk("centers.Objection")),
    "centers:objection_note": Entry(pk("centers.Objection")),
    "centers:objection_resolve": Entry(pk("centers.Objection")),
    "centers:objection_statement": Entry(pk("centers.Objection")),
    "centers:objection_evidence": Entry(pair("centers.ObjectionFile", "objection_id", "file_pk")),
    # --- centers: change requests ---
    "centers:change_list": own("the change requests of the user's own centers or department"),
    "centers:change_detail": Entry(pk("centers.CenterChangeRequest", **CENTER)),
    "centers:change_edit": Entry(pk("centers.CenterChangeRequest", **CENTER)),
    "centers:change_submit": Entry(pk("centers.CenterChangeRequest", **CENTER)),
    "centers:change_decide": Entry(pk("centers.CenterChangeRequest", **CENTER)),
    "centers:change_attachment": Entry(pair("centers.ChangeAttachment", "request_id", "file_pk")),
    "centers:change_issue_document": Entry(pk("centers.CenterChangeRequest", **CENTER)),
    "centers:center_changes": Entry(
        one("centers.Center", "center_pk", lead_organization__name=LEAD)
    ),
    "centers:change_create": Entry(
        one("centers.Center", "center_pk", lead_organization__name=LEAD)
    ),
    # --- notifications, documents ---
    "notifications:list": own("the user's own messages"),
    "notifications:mark_read": Entry(pk("notifications.Message", recipient__username="applicant")),
    "notifications:mark_all_read": own("marks the user's own messages"),
    "documents:detail": Entry(pk("documents.IssuedDocument")),
    "documents:download": Entry(pk("documents.IssuedDocument")),
    "documents:reissue": Entry(pk("documents.IssuedDocument")),
    "verify:index": public("anyone holding a copy checks an issued document (code or upload)"),
    "verify:document": public("the public record of an issued document, found by its code"),
    # --- evaluations (Art. 14): the demo's four evaluations of the lead organization's centers,
    # commissioned to the demo institution; mx_evaluator's institution must be refused ---
    "evaluations:results": public("the public notice of each round's results (decided only)"),
    "evaluations:results_round": public("one round's public results: center, grade, outcome"),
    "evaluations:list": own("the evaluations of the centers the user sees (all: the province)"),
    "evaluations:commission": own("the province's queue of evaluations to commission"),
    "evaluations:overdue": own("the province's list of overdue self-reports"),
    "evaluations:priority": own("the province's list of outstanding centers"),
    "evaluations:assigned": own("the evaluations assigned to the user's own institution"),
    "evaluations:detail": Entry(pk("evaluations.Evaluation", **CENTER)),
    "evaluations:file": Entry(pair("evaluations.EvaluationFile", "evaluation_id", "file_pk")),
    "evaluations:report_file": Entry(pk("evaluations.Evaluation", report_name__gt="", **CENTER)),
    "evaluations:open": Entry(one("centers.Center", "center_pk", lead_organization__name=LEAD)),
    "evaluations:credit": Entry(pk("evaluations.Evaluation", **CENTER)),
    "evaluations:decide": Entry(pk("evaluations.Evaluation", status="proposed", **CENTER)),
    "evaluations:revoke_non_submission": Entry(pk("evaluations.Evaluation", **CENTER)),
    "evaluations:follow_up": Entry(pk("evaluations.Evaluation", outcome="rectify", **CENTER)),
    "evaluations:score": Entry(by_evaluator(status="evaluating")),
    "evaluations:hearing": Entry(by_evaluator(status="evaluating")),
    "evaluations:self_report": Entry(pk("evaluations.Evaluation", status="commissioned", **CENTER)),
    "evaluations:rectification": Entry(pk("evaluations.Evaluation", outcome="rectify", **CENTER)),
}


# --- the test -----------------------------------------------------------------------------------


def refused(response, anonymous):
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and "/login/" in location:
        return anonymous or "/admin/login/" in location
    return status in (403, 404, 405)  # 405: a POST-only view asked with GET (or the reverse)


def client_for(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(NOW, tick=False):
        settings.DEBUG = True
        call_command("seed_demo", stdout=io.StringIO())
        settings.DEBUG = False
        yield foreign_world(ROLES)


def test_every_url_pattern_has_a_matrix_entry():
    names = {name for _route, name in walk() if not name.startswith("admin:")}
    missing = sorted(names - set(MATRIX))
    assert not missing, f"URL patterns without a permission-matrix entry: {missing}"
    assert not sorted(set(MATRIX) - names), "entries for URL names that no longer exist"
    for name, entry in MATRIX.items():
        assert bool(entry.public) + bool(entry.own) <= 1, name
        if entry.public or entry.own:
            assert entry.target is None, name


def test_no_foreign_role_reaches_any_object_and_nothing_changes(world, monkeypatch):
    # The navigation's task badge on every 403/404 page costs most of the run and decides
    # nothing here (the inbox has its own tests): it counts 0 while the matrix runs.
    monkeypatch.setattr("accounts.templatetags.inbox_tags.task_count", lambda user: 0)
    routes = {name: route for route, name in walk()}
    roles = world  # username of each refused role
    attackers = {role: client_for(u) for role, u in roles.items()}
    rightful = [client_for(u) for u in RIGHTFUL]
    plan, opened = [], set()
    for name, entry in MATRIX.items():
        if entry.public:
            continue
        if entry.own:  # no id: at least it is not open to the anonymous
            plan.append((name, fill(routes[name], {}), frozenset({"anonymous"}), GENERIC))
            continue
        targets = entry.target() if entry.target else [{}]
        candidates = [fill(routes[name], kwargs) for kwargs in targets]
        for kwargs, path in zip(targets, candidates, strict=True):
            by = [client_for(kwargs["_by"])] if "_by" in kwargs else rightful
            data = post_data(path, by, opened)
            if path in opened:
                break
        # the object a rightful user opened, and a few more of the same kind (other states)
        others = [p for p in candidates if p != path][: ATTACKED - 1]
        plan += [(name, p, entry.refuse, data) for p in [path, *others]]
    # the admin: one staff-only check on its index and a change page
    user = get_user_model().objects.get(username="applicant")
    for path in ("/admin/", f"/admin/accounts/user/{user.pk}/change/"):
        plan.append(("admin", path, frozenset(ROLES), {"username": ["x"], "is_superuser": ["on"]}))
    before_counts, before = counts(), content()
    problems = []
    logging.disable(logging.WARNING)  # hundreds of expected 403/404 lines
    try:
        for name, path, refuse, data in plan:
            for role in sorted(refuse):
                client = attackers[role]
                for method in ("get", "post"):
                    kwargs = {"data": rewind(data)} if method == "post" else {}
                    response = getattr(client, method)(path, **kwargs)
                    if not refused(response, roles[role] is None):
                        problems.append(
                            f"{name} {method.upper()} {path} as {role}: "
                            f"{response.status_code} {response.get('Location', '')}"
                        )
            now = counts()  # after each URL (every role has had its go)
            if now != before_counts:
                changed = {
                    k: (before_counts[k], v) for k, v in now.items() if before_counts[k] != v
                }
                problems.append(f"{name} {path} changed row counts: {changed}")
                before_counts = now
    finally:
        logging.disable(logging.NOTSET)
    after = content()
    changed = sorted(k for k in before if before[k] != after[k])
    assert not problems, "\n".join(problems)
    assert not changed, f"tables whose rows changed: {changed}"
    # not vacuous: a rightful demo user opens every object page (or is told to POST)
    reached = {name for name, path, _r, _d in plan if path in opened}
    unopened = sorted(n for n, e in MATRIX.items() if e.target and n not in reached)
    assert not unopened, f"no rightful user opens these objects: {unopened}"
    assert len(plan) > 70
