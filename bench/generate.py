"""A synthetic province in bulk, shaped like what the services write (benchmark data only).

``build(scale=1.0)`` adds, on top of the demo data (``seed_demo``): 10,000 plans spread over
every state of the graph, with the object permissions submit grants (the organization's
group: view/change; the organizing department's group: view/review), 2,000 designated
centers with their names (a fifth renamed once) and the staff permissions, 300 experts
with panels, seats, score sheets and scores, office meetings with agenda items, publicity
notices with their items, and 100,000 audit events; each number times ``scale``.

Rows are written with ``bulk_create`` in batches; the product itself moves plans only
through its services (the benchmark times those separately: the designation task).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal

BATCH = 2000
PLANS, CENTERS, EXPERTS, EVENTS = 10_000, 2_000, 300, 100_000


def _n(base: int, scale: float, least: int = 2) -> int:
    return max(least, round(base * scale))


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _organizations(n, rng, cities, prefix):
    from django.contrib.auth.models import Group

    from accounts import credit_code
    from accounts.models import Organization

    orgs = _bulk(
        Organization,
        [
            Organization(
                name=f"山西基准{prefix}{i:05d}科技有限公司",
                verified_name=f"山西基准{prefix}{i:05d}科技有限公司",
                credit_code=credit_code.generate(city.division_code, rng),
                org_type="enterprise",
                registered_city=city,
                status="verified",
                contact_name="基准联系人",
                contact_phone="0351-1234567",
            )
            for i, city in zip(range(n), itertools.cycle(cities), strict=False)
        ],
    )
    groups = _bulk(Group, [Group(name=f"org:{org.pk}") for org in orgs])
    for org, group in zip(orgs, groups, strict=True):
        org.group = group
    Organization.objects.bulk_update(orgs, ["group"], batch_size=BATCH)
    return orgs


def _state_mix(n_plans: int, n_centers: int) -> list[str]:
    from applications.models import Status

    others = [s for s in Status.values if s != Status.DESIGNATED]
    rest = n_plans - n_centers
    return [Status.DESIGNATED] * n_centers + [others[i % len(others)] for i in range(rest)]


def _plans(states, orgs, departments, fields, creator, template, now, prefix):
    from applications.models import Application, Status

    rows = []
    for i, status in enumerate(states):
        org = orgs[i % len(orgs)]
        submitted = None if status == Status.DRAFT else now - dt.timedelta(minutes=7 * i + 1)
        rows.append(
            Application(
                number=None if status == Status.DRAFT else f"B{prefix}{i:07d}",
                organization=org,
                department=departments[i % len(departments)],
                created_by=creator,
                name=f"基准{prefix}{i:05d}领域",
                kind="comprehensive" if i % 7 == 0 else "domain",
                industry_field=fields[i % len(fields)],
                plan=template,
                status=status,
                submitted_at=submitted,
                # no event yet: in its state since it was written (_state_entered: the events)
                state_entered_at=now,
            )
        )
    return _bulk(Application, rows)


def _plan_permissions(apps):
    from django.contrib.auth.models import Permission

    from applications.models import ApplicationGroupObjectPermission, Status

    perm = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application", "review_application"],
        )
    }
    rows = []
    for app in apps:
        org_group = app.organization.group_id
        rows.append((org_group, "view_application", app))
        rows.append((org_group, "change_application", app))
        if app.status != Status.DRAFT:
            rows.append((app.department.group_id, "view_application", app))
            rows.append((app.department.group_id, "review_application", app))
    _bulk(
        ApplicationGroupObjectPermission,
        [
            ApplicationGroupObjectPermission(
                group_id=group_id, permission=perm[code], content_object=app
            )
            for group_id, code, app in rows
        ],
    )


def _centers(apps, today, prefix):
    from django.contrib.auth.models import Permission

    from centers.models import Center, CenterGroupObjectPermission, CenterName

    designated = [a for a in apps if a.status == "designated"]
    centers = _bulk(
        Center,
        [
            Center(
                application=app,
                number=f"SXTIC-B{prefix}-{i:05d}",
                name=f"山西省基准{prefix}{i:05d}技术创新中心",
                kind=app.kind,
                industry_field=app.industry_field,
                lead_organization=app.organization,
                department=app.department,
                city=app.organization.registered_city,
                designated_on=today - dt.timedelta(days=i % 1500),
                main_direction="基准研究方向",
                cobuilders=[{"name": "基准共建大学", "mode": "agreement"}],
                director={"name": "基准主任", "title": "教授"},
                targets=[{"year": 2027, "item": "专利", "value": 10}],
                status="active" if i % 20 else "rectifying",
            )
            for i, app in enumerate(designated)
        ],
    )
    names = []
    for i, center in enumerate(centers):
        start = center.designated_on
        if i % 5 == 0:
            renamed = start + dt.timedelta(days=180)
            names.append(
                CenterName(
                    center=center,
                    name=center.name.replace("基准", "旧名基准"),
                    valid_from=start,
                    valid_to=renamed,
                )
            )
            start = renamed
        names.append(CenterName(center=center, name=center.name, valid_from=start))
    _bulk(CenterName, names)
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="centers", codename__in=["view_center", "change_center"]
        )
    }
    _bulk(
        CenterGroupObjectPermission,
        [
            CenterGroupObjectPermission(
                group_id=center.lead_organization.group_id, permission=perm, content_object=center
            )
            for center in centers
            for perm in perms.values()
        ],
    )
    return centers


def _experts(n, fields, rng, prefix):
    from accounts.models import User
    from reviews.models import ExpertKind, ExpertProfile

    users = _bulk(
        User,
        [
            User(username=f"bench_{prefix}_expert_{i:04d}", last_name="专", first_name=f"家{i:04d}")
            for i in range(n)
        ],
    )
    kinds = list(ExpertKind.values)
    experts = _bulk(
        ExpertProfile,
        [
            ExpertProfile(
                user=user,
                kind=kinds[i % len(kinds)],
                employer_name=f"基准大学{i % 40}",
                is_active=i % 11 != 0,
            )
            for i, user in enumerate(users)
        ],
    )
    through = ExpertProfile.industry_fields.through
    _bulk(
        through,
        [
            through(expertprofile=expert, industryfield=field)
            for expert in experts
            for field in rng.sample(fields, min(2, len(fields)))
        ],
    )
    return experts


def _panels(apps, experts, officer, today, rng):
    from reviews.models import (
        Criterion,
        Panel,
        PanelDraw,
        PanelMember,
        ScoreSheet,
        ScoreTemplate,
    )

    template = (
        ScoreTemplate.objects.filter(is_default=True).first() or ScoreTemplate.objects.first()
    )
    if template is None:
        return 0
    criteria = list(Criterion.objects.filter(template=template))
    panels = _bulk(
        Panel,
        [
            Panel(
                application=app,
                template=template,
                size=5,
                n_technical=3,
                n_management=1,
                n_financial=1,
                score_deadline=today + dt.timedelta(days=14),
                status="open" if app.status == "expert_review" else "concluded",
                outcome="" if app.status == "expert_review" else "pass",
                created_by=officer,
            )
            for app in apps
        ],
    )
    draws = _bulk(
        PanelDraw,
        [
            PanelDraw(panel=p, purpose="formation", seed=rng.randrange(1 << 40), created_by=officer)
            for p in panels
        ],
    )
    members = _bulk(
        PanelMember,
        [
            PanelMember(
                panel=panel,
                draw=draw,
                expert=expert,
                kind=expert.kind,
                status="accepted",
                is_chair=k == 0,
            )
            for panel, draw in zip(panels, draws, strict=True)
            for k, expert in enumerate(rng.sample(experts, min(5, len(experts))))
        ],
    )
    sheets = _bulk(
        ScoreSheet,
        [ScoreSheet(member=m, opinion="基准评分意见", submitted_at=m.invited_at) for m in members],
    )
    from reviews.models import Score

    _bulk(
        Score,
        [
            Score(sheet=sheet, criterion=c, points=Decimal(rng.randint(0, int(c.max_points))))
            for sheet in sheets
            for c in criteria
        ],
    )
    return len(panels)


def _meetings_and_notices(apps, officer, today, prefix):
    from centers.models import Meeting, MeetingItem, PublicityItem, PublicityNotice

    later = [a for a in apps if a.status in ("awaiting_meeting", "publicity", "designated")]
    n_meetings = max(1, len(later) // 40)
    meetings = _bulk(
        Meeting,
        [
            Meeting(
                title=f"2026年基准{prefix}第{i + 1}次厅务会议",
                held_on=today - dt.timedelta(days=3 * i),
                status="closed" if i else "open",
                created_by=officer,
            )
            for i in range(n_meetings)
        ],
    )
    _bulk(
        MeetingItem,
        [
            MeetingItem(
                meeting=meetings[i % n_meetings], application=app, order=i, decision="approve"
            )
            for i, app in enumerate(later)
            if app.status != "awaiting_meeting"
        ],
    )
    public = [a for a in later if a.status != "awaiting_meeting"]
    in_publicity = [a for a in public if a.status == "publicity"]
    # the plans in publicity on current notices of 20 (the first ones), the rest on past ones
    n_current = max(1, -(-len(in_publicity) // 20))
    slot = {app.pk: k // 20 for k, app in enumerate(in_publicity)}
    n_notices = n_current + max(1, (len(public) - len(in_publicity)) // 20)
    notices = _bulk(
        PublicityNotice,
        [
            PublicityNotice(
                title=f"基准{prefix}技术创新中心认定公示（第{i + 1}批）",
                start_date=today - dt.timedelta(days=0 if i < n_current else 10 * i),
                end_date=today + dt.timedelta(days=7 if i < n_current else 7 - 10 * i),
                contact="省科技厅 0351-0000000",
                published_by=officer,
            )
            for i in range(n_notices)
        ],
    )
    _bulk(
        PublicityItem,
        [
            PublicityItem(
                notice=notices[
                    slot[app.pk]
                    if app.status == "publicity"
                    else n_current + i % (n_notices - n_current)
                ],
                application=app,
                order=i,
                center_name=app.full_name,
                lead_organization_name=app.organization.name,
                kind=app.kind,
                field_name=app.industry_field.name if app.industry_field_id else "",
            )
            for i, app in enumerate(public)
        ],
    )
    return len(meetings), len(notices)


def _events(n, apps, actors, now):
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEvent

    ctype = ContentType.objects.get_for_model(apps[0])
    actions = ["application.submit", "application.transition", "application.update"]
    rows = []
    for i in range(n):
        app = apps[i % len(apps)]
        rows.append(
            AuditEvent(
                actor=actors[i % len(actors)],
                action=actions[i % len(actions)],
                target_type=ctype,
                target_id=str(app.pk),
                target_repr=app.name,
                from_state="dept_review" if i % 3 == 1 else "",
                to_state="province_recheck" if i % 3 == 1 else "",
                data={"bench": i},
                ip="127.0.0.1",
            )
        )
    return _bulk(AuditEvent, rows)


def _state_entered(apps, events) -> None:
    """Each plan's ``state_entered_at`` as the audit service stores it: the time of its latest
    event to its state (the plans no event moved keep the time they were written)."""
    from applications.models import Application

    status = {str(app.pk): app.status for app in apps}
    latest = {}
    for event in events:
        if event.to_state and event.to_state == status[event.target_id]:
            latest[event.target_id] = max(
                latest.get(event.target_id, event.created_at), event.created_at
            )
    moved = [app for app in apps if str(app.pk) in latest]
    for app in moved:
        app.state_entered_at = latest[str(app.pk)]
    Application.objects.bulk_update(moved, ["state_entered_at"], batch_size=BATCH)


def build(scale: float = 1.0, *, prefix: str = "J", seed: int = 14, quiet: bool = False) -> dict:
    """Write the province (on top of the demo data) and return the row counts."""
    from django.utils import timezone

    from accounts.models import City, Department, User
    from applications.models import Application
    from centers.models import IndustryField

    rng = random.Random(f"{seed}-{prefix}")
    now = timezone.now()
    today = timezone.localdate()
    cities = list(City.objects.all())
    departments = list(Department.objects.filter(kind="city_bureau")) or list(
        Department.objects.all()
    )
    fields = list(IndustryField.objects.all())
    applicant = User.objects.get(username="applicant")
    officer = User.objects.get(username="officer")
    template = (
        Application.objects.filter(organization=applicant.organization)
        .exclude(plan={})
        .values_list("plan", flat=True)
        .first()
    ) or {}
    n_plans, n_centers = _n(PLANS, scale, 20), _n(CENTERS, scale, 4)
    orgs = _organizations(_n(PLANS // 5, scale, 4), rng, cities, prefix)
    # the demo applicant's organization gets its share, so its home page is at scale too
    orgs[0] = applicant.organization
    apps = _plans(
        _state_mix(n_plans, n_centers), orgs, departments, fields, applicant, template, now, prefix
    )
    _plan_permissions(apps)
    centers = _centers(apps, today, prefix)
    experts = _experts(_n(EXPERTS, scale, 6), fields, rng, prefix)
    in_review = [a for a in apps if a.status in ("expert_review", "improving", "awaiting_meeting")]
    panels = _panels(in_review, experts, officer, today, rng)
    meetings, notices = _meetings_and_notices(apps, officer, today, prefix)
    actors = [applicant, officer, *User.objects.filter(username__startswith="reviewer")]
    events = _events(_n(EVENTS, scale, 20), apps, actors, now)
    _state_entered(apps, events)
    counts = {
        "plans": len(apps),
        "organizations": len(orgs),
        "centers": len(centers),
        "experts": len(experts),
        "panels": panels,
        "meetings": meetings,
        "notices": notices,
        "audit_events": len(events),
    }
    if not quiet:
        print("province:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts
