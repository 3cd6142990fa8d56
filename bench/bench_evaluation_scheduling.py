"""Opening three-year evaluations for many centers (Art. 14). Run: make bench.

Adds BENCH_CENTERS (default 5000) active centers designated three years ago on top of the demo
data, then times one run of the beat task's service ``scheduling.open_due`` (which opens an
evaluation for each, with its audit events and notifications) and a second run (nothing to
open), printing seconds and the number of queries of each.
"""

import datetime as dt
import os
import time

from _setup import bench_database


def fabricate(count: int, designated_on: dt.date):
    """Bulk rows for volume (benchmark data only; the product designates through services)."""
    from accounts.models import Department, User
    from applications.models import Application
    from centers.models import Center

    applicant = User.objects.get(username="applicant")
    bureau = Department.objects.get(name="太原市科学技术局")
    Application.objects.bulk_create(
        Application(
            number=f"BE{i:05d}",
            organization=applicant.organization,
            department=bureau,
            created_by=applicant,
            name=f"评估基准{i}",
            kind="domain",
            status="designated",
        )
        for i in range(count)
    )
    Center.objects.bulk_create(
        (
            Center(
                application=app,
                number=f"BENCH-E-{i:05d}",
                name=app.full_name,
                kind="domain",
                lead_organization=app.organization,
                department=bureau,
                designated_on=designated_on,
            )
            for i, app in enumerate(Application.objects.filter(number__startswith="BE"))
        ),
        batch_size=1000,
    )


def timed(label, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    print(f"{label:<40} {seconds:8.2f} s  queries {len(ctx.captured_queries)}")
    return result


def main():
    count = int(os.environ.get("BENCH_CENTERS", "5000"))
    with bench_database():
        from django.utils import timezone

        from evaluations.services import scheduling

        today = timezone.localdate()
        fabricate(count, scheduling.add_years(today, -3))
        opened = timed(f"open_due ({count} centers due)", lambda: scheduling.open_due(today=today))
        print(f"opened {len(opened)} evaluations")
        again = timed("open_due again (nothing to open)", lambda: scheduling.open_due(today=today))
        assert not again


if __name__ == "__main__":
    main()
