"""List pages at realistic volume and PDF rendering (ms/request). Run: make bench.

Adds BENCH_ROWS (default 200) submitted plans routed to the Taiyuan bureau and as many
designated centers on top of the demo data, then times the review inbox, the public
registry with its CSV and JSON exports, the public notices, and the rendering of a
designation notice PDF.
"""

import os

from _setup import bench_database, iterations, measure


def fabricate(rows: int):
    """Bulk rows for volume (benchmark data only; the product moves plans through services)."""
    from django.utils import timezone
    from guardian.shortcuts import assign_perm

    from accounts.models import Department, User
    from applications.models import Application
    from centers.models import Center

    applicant = User.objects.get(username="applicant")
    bureau = Department.objects.get(name="太原市科学技术局")
    template = Application.objects.filter(organization=applicant.organization).first()
    now = timezone.now()

    def plans(prefix, status):
        return Application.objects.bulk_create(
            Application(
                number=f"{prefix}{i:05d}",
                organization=applicant.organization,
                department=bureau,
                created_by=applicant,
                name=f"基准测试{prefix}{i}",
                kind="domain",
                industry_field=template.industry_field,
                plan=template.plan,
                status=status,
                submitted_at=now,
            )
            for i in range(rows)
        )

    plans("BR", "dept_review")
    routed = Application.objects.filter(number__startswith="BR")
    for perm in ("view_application", "review_application"):
        assign_perm(f"applications.{perm}", bureau.group, routed)
    plans("BD", "designated")
    Center.objects.bulk_create(
        Center(
            application=app,
            number=f"BENCH-{i:05d}",
            name=app.full_name,
            kind="domain",
            industry_field=app.industry_field,
            lead_organization=app.organization,
            department=bureau,
            city=bureau.city,
            designated_on=timezone.localdate(),
        )
        for i, app in enumerate(Application.objects.filter(number__startswith="BD"))
    )


def main():
    n = iterations()
    rows = int(os.environ.get("BENCH_ROWS", "200"))
    with bench_database():
        from django.test import Client

        from accounts.models import User
        from centers.models import Center
        from documents.pdf import render_pdf
        from documents.services import designation_notice_context

        fabricate(rows)
        print(f"rows: {rows} routed plans, {Center.objects.count()} centers")
        reviewer = Client()
        reviewer.force_login(User.objects.get(username="reviewer_ty"))
        officer = Client()
        officer.force_login(User.objects.get(username="officer"))
        anonymous = Client()

        def get(client, url):
            def call():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return call

        measure("GET review inbox (bureau)", get(reviewer, "/applications/review/"), n)
        measure("GET review inbox (officer, all)", get(officer, "/applications/review/?status="), n)
        measure("GET /centers/registry/", get(anonymous, "/centers/registry/"), n)
        measure("GET registry CSV", get(anonymous, "/centers/registry/export.csv"), max(n // 10, 5))
        measure(
            "GET registry JSON", get(anonymous, "/centers/registry/export.json"), max(n // 10, 5)
        )
        measure("GET /centers/public/", get(anonymous, "/centers/public/"), n)

        center = (
            Center.objects.exclude(number__startswith="BENCH").first() or Center.objects.first()
        )
        context = {
            **designation_notice_context(center),
            "document": {
                "number": "晋科发〔2026〕99号",
                "title": "基准",
                "issued_on_cn": "2026年11月26日",
            },
        }
        measure(
            "render designation notice PDF",
            lambda: render_pdf("documents/designation_notice.html", context),
            max(n // 20, 5),
        )


if __name__ == "__main__":
    main()
