import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        where = "file" if os.environ.get("REDIS_URL") else "in memory"
    else:
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}, test_{db['NAME']}"
    broker = settings.CELERY_BROKER_URL.split(":", 1)[0]
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    browser = chromium if Path(chromium).exists() else f"missing ({chromium})"
    return [
        f"database: {engine} ({where}); celery broker: {broker}; "
        f"celery worker tests: {'on' if os.environ.get('REDIS_URL') else 'skipped (no REDIS_URL)'}; "
        f"chromium: {browser}"
    ]


# Tests that compute with dates and the working-day calendar (publicity, designation,
# reminders, deadlines, the demo). Marked ``dates``: .ci/run runs them again under two shifted
# clocks (faketime: late December, and two years ahead) so that a date bomb goes off in CI
# before it goes off in real life. Tests using the clock fixtures below are marked as well.
DATE_TESTS = (
    "tests/workdays/test_services.py",
    "tests/workdays/test_demo.py",
    "tests/workdays/test_readiness.py",
    "tests/centers/test_services.py",
    "tests/centers/test_public_views.py",
    "tests/centers/test_tasks.py",
    "tests/centers/test_publicity_boundaries.py",
    "tests/reviews/test_reminders.py",
    "tests/reviews/test_draw.py",
    "tests/infra/test_seed_demo.py::test_seed_demo_creates_accounts_and_is_idempotent",
)
CLOCK_FIXTURES = {"calendar_known_ahead", "frozen_clock", "calendar_years"}


def _mark_date_tests(items):
    for item in items:
        if item.nodeid.startswith(DATE_TESTS) or CLOCK_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.dates)


def pytest_collection_modifyitems(config, items):
    """Transactional tests (live_server, transactional_db, django_db(transaction=True))
    get ``serialized_rollback=True``: their flush would otherwise wipe the reference
    data that data migrations created (cities, departments, role groups, fields)
    and every later transactional test would run on an empty database."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if marker and marker.args:
            kwargs.setdefault("transaction", marker.args[0])
        transactional = (
            kwargs.get("transaction") or "live_server" in fixtures or "transactional_db" in fixtures
        )
        if not transactional or kwargs.get("serialized_rollback"):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    _mark_date_tests(items)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep serialized rollback working after Playwright has started.

    Playwright's sync API leaves an asyncio loop "running" in the test thread, so
    asgiref (and with it ``django.db.connections``) switches to context-local storage:
    later tests get new connection objects that lack ``_test_serialized_contents``,
    and their reference data would silently not be restored after a flush. The
    serialized data is the same for every connection object of an alias, so it is
    put on the connection class.
    """
    from django.db import connections

    patched = []
    for conn in connections.all(initialized_only=True):
        contents = getattr(conn, "_test_serialized_contents", None)
        if contents is not None and "_test_serialized_contents" not in vars(type(conn)):
            type(conn)._test_serialized_contents = contents
            patched.append(type(conn))
    yield
    for cls in patched:
        del cls._test_serialized_contents


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """With a real Celery worker (REDIS_URL set) on SQLite, the test database must be
    a file the worker process can open, not an in-memory database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if os.environ.get("REDIS_URL") and db["ENGINE"].endswith("sqlite3"):
        suffix = os.environ.get("PYTEST_XDIST_WORKER", "main")
        test_dir = Path(settings.VAR_DIR) / "test"
        test_dir.mkdir(parents=True, exist_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(test_dir / f"test_db_{suffix}.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _test_broker_folder(tmp_path_factory):
    """Without Redis, tasks queued by tests go to a throw-away filesystem broker,
    never into var/broker where the `make run` worker would pick them up."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("filesystem"):
        return
    folder = tmp_path_factory.mktemp("broker")
    for sub in ("out", "processed"):
        (folder / sub).mkdir()
    options = {
        **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "data_folder_in": str(folder / "out"),
        "data_folder_out": str(folder / "out"),
        "processed_folder": str(folder / "processed"),
    }
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    from config.celery import app

    app.conf.broker_transport_options = options


@pytest.fixture(scope="session", autouse=True)
def _test_cache():
    """Tests keep throttle counters in process memory (never in var/cache or a shared Redis),
    emptied before each test by ``_empty_cache``. The navigation badge's count is not cached
    (``INBOX_COUNT_SECONDS = 0``), so that two requests of a query-count test cost the same;
    the tests of that cache switch it on."""
    from django.test.utils import override_settings

    override = override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "fragments": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "test-fragments",
            },
        },
        # INBOX_VERIFY=1 in the environment: the whole run with My tasks cached as in
        # production, each cached provider's slice checked against a fresh one
        INBOX_COUNT_SECONDS=60 if os.environ.get("INBOX_VERIFY") else 0,
        INBOX_VERIFY=bool(os.environ.get("INBOX_VERIFY")),
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Tests hash passwords with MD5: the production hasher (PBKDF2, a million rounds) costs
    about half a second per user on a small machine, and the suite creates thousands of users
    (factories, seed_demo). The production hashers stay listed after it, so that a hash
    written with them still checks. No test is about the hashing cost itself."""
    from django.conf import settings
    from django.test.utils import override_settings

    fast = "django.contrib.auth.hashers.MD5PasswordHasher"
    override = override_settings(
        PASSWORD_HASHERS=[fast, *(h for h in settings.PASSWORD_HASHERS if h != fast)]
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Chinese): a request in English leaves
    English active in its thread, and a later test in the same process would read it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def cached(settings):
    """The per-user caches on (``accounts.inbox.per_user``, the unread count), as in
    production: for the tests of those caches."""
    settings.INBOX_COUNT_SECONDS = 60


@pytest.fixture(autouse=True)
def _empty_cache(_test_cache):
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _celery_tests_use_the_worker(request):
    """Tests marked ``celery`` send their tasks to the real worker, even if another test
    (or a directory's conftest) switched Celery to eager mode for the session; other tests
    send theirs to a queue no worker reads."""
    from config.celery import app

    if request.node.get_closest_marker("celery") is None:
        # Other tests' tasks never reach the real worker: once a celery test has started it,
        # it would run them against the test database while the test's flush truncates it
        # (a deadlock in CI, and the next test saw the leftover rows).
        old_queue = app.conf.task_default_queue
        app.conf.task_default_queue = f"unconsumed-{os.getpid()}"
        try:
            yield
        finally:
            app.conf.task_default_queue = old_queue
        return

    old = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = old


@pytest.fixture
def db_vendor(db):
    return connection.vendor


def _database_url_for_worker() -> str:
    """A DATABASE_URL naming the test database pytest-django created."""
    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{sd['NAME']}"
    if connection.vendor == "postgresql":
        auth = ""
        if sd.get("USER"):
            auth = quote(sd["USER"], safe="")
            if sd.get("PASSWORD"):
                auth += ":" + quote(sd["PASSWORD"], safe="")
            auth += "@"
        host = sd.get("HOST") or "localhost"
        port = f":{sd['PORT']}" if sd.get("PORT") else ""
        return f"postgresql://{auth}{host}{port}/{quote(sd['NAME'], safe='')}"
    raise RuntimeError(f"no worker support for database vendor {connection.vendor}")


def _celery_bin() -> list[str]:
    exe = Path(sys.executable).with_name("celery")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("celery")
    return [found] if found else [sys.executable, "-m", "celery"]


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker (separate process) on Redis, using the test database.

    Tests that use it must be marked ``celery`` and be transactional
    (``@pytest.mark.django_db(transaction=True)``): the worker sees only committed
    rows. Yields a dict with ``queue`` and ``mail_dir`` (the worker's file-based
    e-mail backend writes there). Skipped without REDIS_URL.
    """
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs REDIS_URL (Redis) for a real worker")

    from config.celery import app

    with django_db_blocker.unblock():
        database_url = _database_url_for_worker()

    # A queue of our own: parallel test sessions on one Redis never steal each other's tasks.
    queue = f"test-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    log_path = tmp_path_factory.mktemp("worker-log") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CONN_MAX_AGE": "0",
        "DEBUG": "0",
    }
    cmd = [
        *_celery_bin(),
        "-A",
        "config",
        "worker",
        "-P",
        "solo",
        "-c",
        "1",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "info",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
    ]
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        cmd, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"celery worker exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}"
                )
            replies = app.control.ping(timeout=1)
            if any(name.startswith(f"{queue}@") for reply in replies for name in reply):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not answer:\n{log_path.read_text()[-4000:]}")
        yield {"queue": queue, "mail_dir": Path(mail_dir), "log": log_path}
    finally:
        app.conf.task_default_queue = old_queue
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        # Close our connections so the test database can be dropped afterwards.
        connection.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Repeat at the end of the run which database and broker the suite ran on."""
    for line in pytest_report_header(config):
        terminalreporter.write_line(f"suite ran on {line}")


# --------------------------------------------------------------------------- clock and calendar
# No test depends on the real today: a test that needs "today" freezes the clock, and a test
# that needs the working-day calendar enters the years it uses.

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: The frozen "now" of tests that act today: a Monday in an ordinary working week, after the
#: fixed publicity period the centers factories use by default (2026-09-30 to 2026-10-12).
TEST_NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)
TEST_CALENDAR_SOURCE = "test calendar (Monday–Friday only)"


def enter_test_calendar(*years: int) -> None:
    """Make the working-day calendar know ``years``: a year the database does not know
    completely becomes a plain Monday–Friday year marked as a test calendar. Years it knows
    (the seeded official arrangements) are kept as they are."""
    from workdays.models import Year

    for year in years:
        Year.objects.get_or_create(
            year=year, defaults={"complete": True, "source": TEST_CALENDAR_SOURCE}
        )
        Year.objects.filter(year=year, complete=False).update(
            complete=True, source=TEST_CALENDAR_SOURCE
        )


@pytest.fixture
def calendar_years(db):
    """``calendar_years(2027, 2028)``: enter the calendar years a test uses."""
    return enter_test_calendar


@pytest.fixture
def frozen_clock():
    """The clock at TEST_NOW (it ticks on from there, so events keep their order); the
    traveller is yielded, e.g. ``frozen_clock.move_to(...)``."""
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def calendar_known_ahead(db, frozen_clock):
    """Tests that act "today" (publish from today, ask for the current notice): the clock is
    frozen at TEST_NOW and the calendar knows TEST_NOW's year and the next."""
    enter_test_calendar(TEST_NOW.year, TEST_NOW.year + 1)
    return frozen_clock
