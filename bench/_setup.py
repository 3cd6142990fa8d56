"""Shared setup for benchmarks: Django on a throwaway test database with the demo data."""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


@contextmanager
def bench_database():
    """Create a test database (never the demo or production one), seed the demo data."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment(debug=False)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        settings.DEBUG = True  # seed_demo runs only with DEBUG
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        settings.DEBUG = False
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def measure(label: str, fn, n: int) -> None:
    """Call fn n times (after 3 warm-up calls) and print milliseconds per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{label:<34} n={n:<5} mean {statistics.fmean(times):7.2f} ms  "
        f"median {statistics.median(times):7.2f} ms  p95 {p95:7.2f} ms  queries {queries}"
    )


def iterations() -> int:
    return int(os.environ.get("BENCH_N", "200"))
