"""Province-scale benchmark: `make bench SCALE=full` (or `bench/province.py --scale 1`).

Builds a synthetic province (bench/generate.py) in its own database, never the dev one:
SQLite ``var/bench/province.sqlite3``, or on PostgreSQL (``DATABASE_URL`` set) the database
``<name>_bench`` next to it. Then, at a small scale and at full scale, for each main page
and its admin counterpart: median and p95 server time (Django test client, in process)
and query count, the page ÷ admin ratio; at full scale also the load figures (gunicorn with
3 workers on loopback, bench/load.py) for the public pages next to ``/healthz``, the
designation task for 500 plans, the notice PDFs, and the peak RSS of a gunicorn worker.
Writes ``var/bench/province-<database>.json`` and prints a table.

Other benches join in with a module ``bench/province_<name>.py`` that defines
``measure(scale: float) -> dict`` (run at full scale, after the pages; its dict goes into the
JSON under its name), e.g. the evaluation scheduling for 10,000 centers.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
SMALL = 0.002
PORT = int(os.environ.get("BENCH_PORT", "8813"))


def bench_database_url() -> str:
    """The benchmark's own database: never the one DATABASE_URL names itself."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base, _, name = url.rpartition("/")
        name = name.split("?")[0]
        return f"{base}/{name}_bench"
    # in memory-backed /dev/shm when there is one: the timings are not the disk's fsyncs
    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else OUT
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'sxtic-province-{os.getpid()}.sqlite3'}"


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _analyze() -> None:
    """Planner statistics after the bulk load, as autovacuum keeps them in a running
    database: measured straight after the inserts, PostgreSQL plans from empty-table
    estimates (the meeting list took 75 ms instead of 19)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    # DEBUG off turns the compulsory second factor on; the bench signs in with force_login
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from config.celery import app

    # what the measured services queue (the notices' PDFs) stays in this process: never in
    # the demo's or a real broker's queue, whose worker would look for rows of the bench's
    # throw-away database
    app.conf.broker_url = "memory://"

    setup_test_environment(debug=False)  # the test client, outgoing mail kept in memory
    call_command("migrate", verbosity=0)
    # DEBUG off serves hashed static names: the manifest must exist (as in production)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings

    settings.DEBUG = True  # seed_demo runs only with DEBUG
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False


# --------------------------------------------------------------------------- in-process pages


def timed(fn, n: int) -> dict:
    return timed_sides({"one": fn}, n)["one"]


def _prepared(fn):
    """Run ``fn.prepare()`` (what a measured request follows, not timed), if any; ``fn``."""
    prepare = getattr(fn, "prepare", None)
    if prepare is not None:
        prepare()
    return fn


def timed_sides(sides: dict, n: int) -> dict:
    """Median and p95 time and query count of each side (e.g. a page and its admin
    counterpart), their requests alternating: a change of the machine's load (other jobs on
    its cores) hits both sides alike, so their ratio holds."""
    from django.db import connection

    queries = {}
    for side, fn in sides.items():
        _prepared(fn)()
        count = [0]

        def counter(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        # counted by an execute wrapper: it outlives the per-request reconnections
        _prepared(fn)
        with connection.execute_wrapper(counter):
            fn()
        queries[side] = count[0]
    times = {side: [] for side in sides}
    for _ in range(n):
        for side, fn in sides.items():
            _prepared(fn)
            start = time.perf_counter()
            fn()
            times[side].append((time.perf_counter() - start) * 1000)
    out = {}
    for side, spent in times.items():
        spent.sort()
        out[side] = {
            "median_ms": round(statistics.median(spent), 2),
            "p95_ms": round(spent[min(n - 1, int(n * 0.95))], 2),
            "queries": queries[side],
        }
    return out


def page_pairs():
    """(label, who, url, admin url) for each main page; built after the data exist."""
    from django.db.models import Count

    from accounts.models import Department, User
    from centers.models import Center, Meeting, PublicityNotice

    applicant = User.objects.get(username="applicant")
    bureau = Department.objects.get(name="太原市科学技术局")
    center = Center.objects.order_by("-designated_on", "number").first()
    notice = PublicityNotice.objects.order_by("-start_date", "-pk").first()
    meeting = Meeting.objects.annotate(n=Count("items")).order_by("-n", "pk").first()
    return [
        (
            "department inbox",
            "reviewer_ty",
            "/applications/review/",
            f"/admin/applications/application/?department={bureau.pk}",
        ),
        (
            "officer inbox (all)",
            "officer",
            "/applications/review/?status=",
            "/admin/applications/application/",
        ),
        (
            "applicant home",
            "applicant",
            "/applications/",
            f"/admin/applications/application/?organization={applicant.organization_id}",
        ),
        # my tasks (home, full list): the count and first tasks are cached per user until
        # anything changes, each provider's part until what it reads changes (a day at most):
        # measured cached, after a real decision (a department approves a plan: the
        # officer's re-check provider is gathered again, the others come from the cache)
        # and all anew (every provider gathered: the first page of the day)
        ("my tasks (home, cached)", "officer", "/", "/admin/applications/application/"),
        (
            "my tasks (home, after a decision)",
            "officer+decision",
            "/",
            "/admin/applications/application/",
        ),
        ("my tasks (home, all anew)", "officer+anew", "/", "/admin/applications/application/"),
        ("all my tasks (page 1, cached)", "officer", "/tasks/", "/admin/applications/application/"),
        (
            "all my tasks (page 1, after a decision)",
            "officer+decision",
            "/tasks/",
            "/admin/applications/application/",
        ),
        (
            "all my tasks (page 1, all anew)",
            "officer+anew",
            "/tasks/",
            "/admin/applications/application/",
        ),
        ("office meeting list", "officer", "/centers/office/meetings/", "/admin/centers/meeting/"),
        (
            "office publicity list",
            "officer",
            "/centers/office/publicity/",
            "/admin/centers/publicitynotice/",
        ),
        ("expert pool", "officer", "/reviews/experts/", "/admin/reviews/expertprofile/"),
        ("audit log (admin only)", None, None, "/admin/audit/auditevent/"),
        ("registry (cold)", "cold", "/centers/registry/", "/admin/centers/center/"),
        ("registry (cached)", "", "/centers/registry/", "/admin/centers/center/"),
        (
            "registry search (cold)",
            "cold",
            "/centers/registry/?q=%E5%9F%BA%E5%87%86",
            "/admin/centers/center/?q=%E5%9F%BA%E5%87%86",
        ),
        ("registry CSV (cold)", "cold", "/centers/registry/export.csv", "/admin/centers/center/"),
        ("registry CSV (cached)", "", "/centers/registry/export.csv", "/admin/centers/center/"),
        ("registry JSON (cold)", "cold", "/centers/registry/export.json", "/admin/centers/center/"),
        (
            "center page (cold)",
            "cold",
            f"/centers/registry/{center.number}/",
            f"/admin/centers/center/{center.pk}/change/",
        ),
        ("publicity list (cold)", "cold", "/centers/public/", "/admin/centers/publicitynotice/"),
        (
            "notice archive (cold)",
            "cold",
            "/centers/public/archive/",
            "/admin/centers/publicitynotice/",
        ),
        (
            "notice page (cold)",
            "cold",
            f"/centers/public/notices/{notice.pk}/",
            f"/admin/centers/publicitynotice/{notice.pk}/change/",
        ),
        # admin change pages with foreign keys to big tables or many inline rows
        ("user change (admin only)", None, None, f"/admin/accounts/user/{applicant.pk}/change/"),
        ("meeting change (admin only)", None, None, f"/admin/centers/meeting/{meeting.pk}/change/"),
    ]


def a_plan_approved() -> None:
    """A real state change, through the service: a department approves the oldest plan in
    its review (it joins the officer's plans to re-check). My tasks is then stale as after
    any decision: the badge, the home page's entry and the providers reading such plans."""
    from applications.models import Application
    from applications.services import application_transition

    waiting = Application.objects.filter(status=Application.Status.DEPT_REVIEW).order_by("pk")
    app = waiting.first()
    if app is None:  # the small province runs out: a re-checked plan goes back (bookkeeping)
        back = Application.objects.filter(status=Application.Status.PROVINCE_RECHECK)
        app = back.order_by("pk").first()
        back.filter(pk=app.pk).update(status=Application.Status.DEPT_REVIEW)
    application_transition(actor=None, application_id=app.pk, transition="approve", reason="同意")


def measure_pages(n: int) -> list[dict]:
    from django.test import Client

    from accounts import inbox
    from accounts.models import User
    from centers import public_cache

    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    clients = {}

    def client_for(who):
        who = who.split("+")[0]  # a signed-in user's page after a change: the same client
        if who not in clients:
            clients[who] = Client()
            if who not in ("", "cold"):
                clients[who].force_login(User.objects.get(username=who))
        return clients[who]

    def getter(client, url, cold=False, before=None):
        def call():
            if cold:
                public_cache.invalidate()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                for _chunk in response.streaming_content:
                    pass

        if before is not None:
            call.prepare = before  # untimed, before each request
        return call

    changes = {"decision": a_plan_approved, "anew": inbox.invalidate_counts}

    rows = []
    for label, who, url, admin_url in page_pairs():
        row = {"page": label, "url": url, "admin_url": admin_url}
        sides = {"admin": getter(admin, admin_url)}
        if url is not None:
            before = changes.get(who.partition("+")[2])
            app = getter(client_for(who), url, cold=who == "cold", before=before)
            sides = {"app": app, **sides}
        row.update(timed_sides(sides, n))
        if "app" in row:
            row["ratio"] = round(row["app"]["median_ms"] / max(row["admin"]["median_ms"], 0.01), 2)
        rows.append(row)
        print(f"  {label:<26} " + _cells(row), flush=True)
    return rows


def _cells(row) -> str:
    app = row.get("app")
    adm = row["admin"]
    left = f"{app['median_ms']:8.1f} {app['p95_ms']:8.1f} {app['queries']:4d}" if app else " " * 22
    ratio = f"{row['ratio']:6.2f}" if "ratio" in row else "      "
    return f"{left} | {adm['median_ms']:8.1f} {adm['p95_ms']:8.1f} {adm['queries']:4d} | {ratio}"


# --------------------------------------------------------------------------- tasks and PDFs


def measure_designation(count: int) -> dict:
    """The designation task (centers.tasks.designate_due) for ``count`` plans whose
    publicity is over without objection."""
    import datetime as dt

    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application
    from centers.models import Meeting, MeetingItem, PublicityItem, PublicityNotice
    from centers.tasks import designate_due

    officer = User.objects.get(username="officer")
    template = Application.objects.filter(status="designated").first()
    today = timezone.localdate()
    apps = Application.objects.bulk_create(
        Application(
            number=f"BDES{i:06d}",
            organization=template.organization,
            department=template.department,
            created_by=template.created_by,
            name=f"基准认定{i:05d}",
            kind="domain",
            industry_field=template.industry_field,
            plan=template.plan,
            status="publicity",
            submitted_at=timezone.now(),
        )
        for i in range(count)
    )
    meeting = Meeting.objects.create(
        title="基准认定会议",
        held_on=today - dt.timedelta(days=30),
        status="closed",
        created_by=officer,
    )
    MeetingItem.objects.bulk_create(
        MeetingItem(meeting=meeting, application=a, order=i, decision="approve")
        for i, a in enumerate(apps)
    )
    notice = PublicityNotice.objects.create(
        title="基准认定公示",
        start_date=today - dt.timedelta(days=20),
        end_date=today - dt.timedelta(days=10),
        contact="省科技厅",
        published_by=officer,
    )
    PublicityItem.objects.bulk_create(
        PublicityItem(
            notice=notice,
            application=a,
            order=i,
            center_name=a.full_name,
            lead_organization_name=a.organization.name,
            kind=a.kind,
        )
        for i, a in enumerate(apps)
    )
    start = time.perf_counter()
    designated = designate_due.apply().get()
    seconds = time.perf_counter() - start
    return {
        "plans": count,
        "designated": len(designated),
        "seconds": round(seconds, 2),
        "ms_per_plan": round(seconds * 1000 / max(count, 1), 1),
    }


def measure_pdfs() -> dict:
    from centers.models import Center, PublicityNotice
    from centers.views_public import _notice_context, fonts_template
    from documents.pdf import render_pdf
    from documents.services import designation_notice_context

    notice = PublicityNotice.objects.order_by("-start_date", "-pk").first()
    context = _notice_context(notice) | {"fonts_template": fonts_template()}
    center = Center.objects.first()
    designation = {
        **designation_notice_context(center),
        "document": {"number": "晋科发〔2026〕99号", "title": "基准", "issued_on_cn": "2026年"},
    }

    def seconds(fn, n=3):
        fn()
        times = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return round(statistics.median(times) * 1000, 1)

    return {
        "publicity_notice_ms": seconds(
            lambda: render_pdf("centers/pdf/publicity_notice.html", context)
        ),
        "publicity_notice_items": len(context["items"]),
        "designation_notice_ms": seconds(
            lambda: render_pdf("documents/designation_notice.html", designation)
        ),
    }


# --------------------------------------------------------------------------- under load


def measure_load(url: str, seconds: float) -> dict:
    from centers.models import Center, PublicityNotice

    sys.path.insert(0, str(ROOT / "bench"))
    import load

    center = Center.objects.order_by("-designated_on", "number").first()
    notice = PublicityNotice.objects.order_by("-start_date", "-pk").first()
    paths = {
        "/healthz": "/healthz",
        "registry": "/centers/registry/",
        "publicity list": "/centers/public/",
        "center page": f"/centers/registry/{center.number}/",
        "notice page": f"/centers/public/notices/{notice.pk}/",
        "registry CSV": "/centers/registry/export.csv",
        "notice PDF": f"/centers/public/notices/{notice.pk}/pdf/",
    }
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    # The shipped settings, as production runs them (gthread, two threads a worker, its
    # timeouts), with 3 workers on the bench's port. Recycling after max_requests is off:
    # every worker then lives through the whole load, and its VmHWM after the load covers
    # everything it served (a recycled worker would hide its peak).
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--max-requests",
            "0",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log
    )
    try:
        load.wait_ready("127.0.0.1", PORT, "/healthz", timeout=60)
        started = set(load.children(server.pid))
        for path in paths.values():
            load.run("127.0.0.1", PORT, path, seconds=1, threads=4)  # warm the workers
        results = load.run_interleaved("127.0.0.1", PORT, paths, seconds=seconds, threads=6)
        for label in paths:
            print(
                f"  {label:<16} {results[label]['rps']:8.1f} req/s  "
                f"p95 {results[label]['p95_ms']:7.1f} ms  errors {results[label]['errors']}",
                flush=True,
            )
        health = max(results["/healthz"]["rps"], 0.01)
        for figures in results.values():
            figures["ratio_to_healthz"] = round(figures["rps"] / health, 2)
        workers = load.children(server.pid)
        rss = {pid: load.peak_rss_mb(pid) for pid in workers}
        return {
            "pages": results,
            "gunicorn": "deploy/gunicorn.conf.py, 3 workers, max_requests off",
            "worker_peak_rss_mb": rss,
            "max_worker_peak_rss_mb": max(rss.values(), default=0),
            # a worker that died during the load (timeout, crash): its peak is not above
            "workers_replaced": len(set(workers) - started),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


# --------------------------------------------------------------------------- hooks and main


def hooks(scale: float) -> dict:
    """Results of other benches' ``bench/province_<name>.py`` modules (see the docstring)."""
    found = {}
    for path in sorted((ROOT / "bench").glob("province_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "measure"):
            print(f"== {path.name}", flush=True)
            found[path.stem.removeprefix("province_")] = module.measure(scale)
    return found


HEADER = (
    f"  {'page':<26} {'median':>8} {'p95':>8} {'q':>4} | {'admin':>8} {'p95':>8} {'q':>4} | ratio"
)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 plans")
    # requests per page and side: the medians of 7 moved by a tenth from one run to the next
    parser.add_argument("-n", type=int, default=int(os.environ.get("PROVINCE_N", "15")))
    parser.add_argument("--load-seconds", type=float, default=4.0)
    parser.add_argument("--designate", type=int, default=None, help="plans (500 × scale)")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    phases = {}

    def phase(name):
        phases[name] = round(time.perf_counter() - started - sum(phases.values()), 1)

    url = bench_database_url()
    fresh_database(url)
    try:
        return _run(args, url, started, phases, phase)
    finally:
        if url.startswith("sqlite:///"):
            fresh_database(url)  # removes the file


def _write(report) -> Path:
    """The JSON so far (written after every phase: a cut-short run keeps its figures)."""
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"province-{report['database']}.json"
    target.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return target


def _run(args, url, started, phases, phase) -> dict:
    setup(url)
    from django.conf import settings
    from django.core.cache import cache

    from bench.generate import build

    phase("migrate and demo data")
    cache.clear()
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    report = {
        "database": vendor,
        "scale": args.scale,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg()[0],
    }
    print(f"database {vendor}, scale {args.scale}", flush=True)
    report["small_rows"] = build(SMALL, prefix="S")
    phase("build small")
    _write(report)
    print(f"-- small scale (×{SMALL})\n{HEADER}", flush=True)
    report["small"] = measure_pages(max(3, args.n // 2))
    phase("pages small")
    _write(report | {"phase_seconds": phases})
    report["full_rows"] = build(max(args.scale - SMALL, SMALL), prefix="F")
    _analyze()
    phase("build full")
    _write(report | {"phase_seconds": phases})
    print(f"-- full scale (×{args.scale})\n{HEADER}", flush=True)
    report["full"] = measure_pages(args.n)
    phase("pages full")
    _write(report | {"phase_seconds": phases})
    for small, full in zip(report["small"], report["full"], strict=True):
        for side in ("app", "admin"):
            if side in full:
                full[side]["queries_small"] = small[side]["queries"]
                full[side]["growth"] = round(
                    full[side]["median_ms"] / max(small[side]["median_ms"], 0.01), 2
                )
    if not args.no_load:
        print("-- load (gunicorn, 3 workers, 6 client threads)", flush=True)
        cache.clear()
        report["load"] = measure_load(url, args.load_seconds)
        print(f"  worker peak RSS {report['load']['worker_peak_rss_mb']} MB", flush=True)
        phase("load")
        _write(report | {"phase_seconds": phases})
    print("-- designation task, PDFs", flush=True)
    count = args.designate if args.designate is not None else max(5, round(500 * args.scale))
    report["designation"] = measure_designation(count)
    print(f"  {report['designation']}", flush=True)
    phase("designation")
    _write(report | {"phase_seconds": phases})
    report["pdf"] = measure_pdfs()
    print(f"  {report['pdf']}", flush=True)
    phase("pdf")
    _write(report | {"phase_seconds": phases})
    report["hooks"] = hooks(args.scale)
    phase("hooks")
    report["phase_seconds"] = phases
    report["seconds"] = round(time.perf_counter() - started, 1)
    target = _write(report)
    print(f"phases (s): {phases}")
    print(f"wrote {target.relative_to(ROOT)} in {report['seconds']} s")
    return report


if __name__ == "__main__":
    main()
