"""`make run`: prepare the demo and run the web app plus a Celery worker with beat.

Steps: migrate, compile message catalogs (only when gettext's msgfmt exists;
otherwise the committed .mo files are used), collect the static files (hashed names and
gzip/Brotli copies under var/staticfiles, served by WhiteNoise), seed the demo data (idempotent),
then start

  web     python manage.py runserver HOST:PORT --noreload
  worker  celery -A config worker -B   (filesystem broker under var/ unless REDIS_URL is set)

Output of both is forwarded with a prefix. Ctrl-C (or one process dying)
stops everything. Running it again reuses the SQLite database in var/.
Environment: HOST (127.0.0.1), PORT (8000). SITE_URL (the address in e-mail links) follows
HOST and PORT unless it is set.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))
URL = f"http://{HOST}:{PORT}/"


def site_url(host: str, port: int) -> str:
    """The address e-mails link to: the one the demo listens on (a wildcard host is reached
    on the loopback address)."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


# Every child (migrate, seed_demo, web, worker) sends links to the running demo.
os.environ.setdefault("SITE_URL", site_url(HOST, PORT))
COLORS = {"web": "\033[36m", "worker": "\033[35m"}
RESET = "\033[0m"
_print_lock = threading.Lock()


def say(text: str = "") -> None:
    with _print_lock:
        print(text, flush=True)


def step(title: str, cmd: list[str], capture: bool = False) -> str:
    say(f"==> {title}")
    result = subprocess.run(
        cmd, cwd=ROOT, text=True, capture_output=capture, env=os.environ.copy(), check=False
    )
    if result.returncode != 0:
        if capture:
            sys.stdout.write(result.stdout)
            sys.stderr.write(result.stderr)
        sys.exit(f"'{' '.join(cmd)}' failed with exit code {result.returncode}")
    return result.stdout if capture else ""


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def forward(name: str, stream) -> None:
    color = COLORS.get(name, "") if sys.stdout.isatty() else ""
    reset = RESET if color else ""
    for line in iter(stream.readline, ""):
        say(f"{color}{name:>6} |{reset} {line.rstrip()}")
    stream.close()


def wait_for_port(proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if port_in_use(HOST, PORT):
            return True
        time.sleep(0.3)
    return False


def main() -> int:
    os.chdir(ROOT)
    if port_in_use(HOST, PORT):
        sys.exit(f"{HOST}:{PORT} is already in use; stop that program or run `make run PORT=8001`.")

    manage = [PY, "manage.py"]
    step("migrate", [*manage, "migrate", "--no-input"])
    catalogs = [p for p in ROOT.glob("**/locale/*/LC_MESSAGES/*.po") if ".venv" not in p.parts]
    if not catalogs:
        say("==> no message catalogs to compile")
    elif shutil.which("msgfmt"):
        step("compilemessages", [*manage, "compilemessages", "--ignore=.venv", "--ignore=var"])
    else:
        say("==> msgfmt (gettext) not found: using the committed .mo catalogs")
    step(
        "collectstatic (hashed, compressed static files served by WhiteNoise)",
        [*manage, "collectstatic", "--no-input", "-v", "0"],
    )
    accounts = step(
        "seed_demo (demo data; keeps what exists)", [*manage, "seed_demo"], capture=True
    )
    say(accounts.rstrip())

    celery = str(Path(PY).with_name("celery"))
    commands = {
        "web": [*manage, "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [celery, "-A", "config", "worker", "-B", "-l", "info", "-c", "2",
                   "--without-gossip", "--without-mingle"],
    }  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs: dict[str, subprocess.Popen] = {}
    threads = []
    stopping = threading.Event()

    def stop(*_args):
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    for name, cmd in commands.items():
        # Own session: the Ctrl-C of the terminal reaches only us; we stop the children in order.
        procs[name] = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1, start_new_session=True,
        )  # fmt: skip
        t = threading.Thread(target=forward, args=(name, procs[name].stdout), daemon=True)
        t.start()
        threads.append(t)

    if wait_for_port(procs["web"]):
        say("")
        say("=" * 64)
        say(f"  山西省技术创新中心管理平台 is running at {URL}")
        say(f"  admin: {URL}admin/    health: {URL}healthz")
        for line in accounts.splitlines():
            if line.startswith("  ") or "演示账户" in line:
                say(f"  {line.strip() if '演示账户' in line else line}")
        say("  Press Ctrl-C to stop the web app and the Celery worker.")
        say("=" * 64)
        say("")

    exit_code = 0
    while not stopping.is_set():
        for name, proc in procs.items():
            if proc.poll() is not None:
                say(f"{name} exited with code {proc.returncode}; stopping everything.")
                exit_code = proc.returncode or 1
                stopping.set()
                break
        stopping.wait(0.5)

    say("Stopping ...")
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for name, proc in procs.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in time; killing it.")
            proc.kill()
            proc.wait()
    for t in threads:
        t.join(timeout=2)
    say("Stopped.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
