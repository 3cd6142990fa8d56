"""The world and the tools of the permission matrix (tests/infra/test_permission_matrix.py):
the demo plus what it lacks, the form fields a rightful user sees, and database fingerprints."""

from __future__ import annotations

import datetime as dt
import hashlib
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

NOW = dt.datetime(2026, 10, 13, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LEAD = "太原示范半导体材料有限公司"  # the demo lead organization; every object below is its own
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)

CENTER = {"center__lead_organization__name": LEAD}


def model_named(label):
    """The model named by the last part of ``label``, in whichever app holds it now."""
    name = label.rsplit(".", 1)[-1]
    return next(m for m in apps.get_models() if m.__name__ == name)


# --- the world ----------------------------------------------------------------------------------


def foreign_world(roles: dict) -> dict:
    """The demo plus the objects it lacks and one user per foreign role."""
    from accounts.models import Organization
    from centers.models import PublicityItem
    from centers.services import reports
    from documents.services import issue_designation_notice
    from reviews.models import Panel, Visit, VisitFile
    from tests.centers.change_factories import filed, make_center
    from tests.centers.factories import file_objection
    from tests.factories import OrganizationFactory, UserFactory
    from tests.reviews.factories import expert

    expert(username="mx_expert")
    UserFactory(
        username="mx_evaluator",
        organization=OrganizationFactory(org_type=Organization.Type.THIRD_PARTY_EVALUATOR),
        roles=["evaluator"],
    )
    other = make_center(name="煤机智能制造", org=OrganizationFactory(name="山西另一中心有限公司"))
    staff = other._test_staff
    staff.username = "mx_center"
    staff.save()
    # what the demo does not make: an objection with evidence, a visit file, a report file,
    # an issued notice
    item = PublicityItem.objects.filter(application__organization__name=LEAD).first()
    file_objection(item.application, now=NOW)
    panel = Panel.objects.filter(status="open", application__organization__name=LEAD).first()
    visit = Visit.objects.create(
        panel=panel,
        kind="inspection",
        date=NOW.date(),
        place="太原",
        attendees="专家组",
        findings="现场情况良好",
        recorded_by=get_user_model().objects.get(username="officer"),
    )
    VisitFile.objects.create(visit=visit, file=ContentFile(PDF, "visit.pdf"), name="v.pdf", size=1)
    report = model_named("centers.AnnualReport").objects.filter(**CENTER).first()
    model_named("centers.AnnualReportFile").objects.create(
        report=report,
        file=ContentFile(PDF, "report.pdf"),
        name="report.pdf",
        size=len(PDF),
        uploaded_by=get_user_model().objects.get(username="applicant"),
    )
    # the center the demo designated (the lead organization also leads the evaluations demo's
    # centers designated before the platform)
    center = model_named("centers.Center").objects.get(
        lead_organization__name=LEAD, application__name="特种金属材料"
    )
    roles = dict(roles)
    # an expert who sits on panels, only not on the lead organization's, is the sharper test
    elsewhere = (
        get_user_model()
        .objects.filter(expert_profile__memberships__isnull=False)
        .exclude(expert_profile__memberships__panel__application__organization__name=LEAD)
        .order_by("username")
        .first()
    )
    if elsewhere is not None:
        roles["expert_not_on_panel"] = elsewhere.username
    issue_designation_notice(center_id=center.pk, now=NOW)
    # drafts, so that the edit pages have something to edit
    applicant = get_user_model().objects.get(username="applicant")
    # (the demo's reports are both submitted; one goes back to its keeper)
    returned = center.annual_reports.get(status="submitted")
    reports.decide_report(
        actor=get_user_model().objects.get(username="reviewer_ty"),
        report_id=returned.pk,
        decision="return",
        reason="请补充研发投入明细。",
    )
    filed(
        center,
        staff=applicant,
        submit=False,
        kind="direction",
        data={"reasons": "产业需求变化，研究方向需要调整。", "new_direction": "宽禁带半导体"},
    )
    return roles


# --- forms --------------------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """Name -> value of the fields of the POST forms of a page (defaults, else plausible)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list] = {}
        self.files: set[str] = set()
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "file":
                self.files.add(name)
            elif kind in ("checkbox", "radio"):
                if name not in self.data or kind == "checkbox":
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "reset"):
                self.data[name] = [a.get("value") or _plausible(name, kind)]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            self.data.setdefault(self._select, [a["value"]])
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ["测试意见：理由充分，予以办理。"]
        elif tag == "button" and name and a.get("value"):
            self.data.setdefault(name, [a["value"]])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _plausible(name, kind):
    if kind == "number" or any(w in name for w in ("score", "count", "wan", "year", "area")):
        return "90"
    if kind == "date" or "date" in name or name.endswith("_on"):
        return "2026-10-20"
    if "phone" in name:
        return "13800001234"
    if "email" in name:
        return "mx@example.com"
    return "测试内容"


GENERIC = {
    "reason": "测试理由",
    "reasons": "测试理由",
    "opinion": "测试意见",
    "decision": "approve",
    "text": "测试",
    "note": "测试",
    "name": "测试名称",
    "title": "测试标题",
    "confirm": "on",
}


def post_data(path, rightful_clients, opened):
    """The fields of the form a rightful user sees on ``path`` (or generic ones), with files.

    ``opened`` gets the path when a rightful user opens it (the object is a real one). The
    client that opens it moves to the front of ``rightful_clients`` (the next URL is likely
    its page too)."""
    for client in list(rightful_clients):
        response = client.get(path)
        if response.status_code not in (200, 405):
            continue
        opened.add(path)
        rightful_clients.remove(client)
        rightful_clients.insert(0, client)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            parser = _FormFields()
            parser.feed(response.content.decode())
            if parser.data or parser.files:
                data = dict(parser.data)
                data.pop("csrfmiddlewaretoken", None)
                for name in parser.files:
                    data[name] = [SimpleUploadedFile(f"{name}.pdf", PDF, "application/pdf")]
                return data
        break
    return {**GENERIC, "file": [SimpleUploadedFile("f.pdf", PDF, "application/pdf")]}


def rewind(data):
    for values in data.values():
        for v in values if isinstance(values, list) else [values]:
            if hasattr(v, "seek"):
                v.seek(0)
    return data


# --- the database -------------------------------------------------------------------------------

SKIP_TABLES = {"django_session"}


def _models():
    return [m for m in apps.get_models() if m._meta.db_table not in SKIP_TABLES]


def counts():
    return {m._meta.label: m._default_manager.count() for m in _models()}


def content():
    """A digest of every row of every table (users without their last sign-in)."""
    digests = {}
    for m in _models():
        names = [f.attname for f in m._meta.concrete_fields if f.attname != "last_login"]
        rows = m._default_manager.order_by("pk").values_list(*names)
        digests[m._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests
