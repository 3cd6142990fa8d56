"""PDF work in a short-lived child process: WeasyPrint, Pango and fontTools never load into
the web or Celery process that asks for a PDF.

Rendered in the process itself, one publicity notice took a gunicorn worker from 71 to
about 140 MB for the rest of its life (importing WeasyPrint and Pango 15 MB, the body
font's character map 13 MB, the rendering and the font caches it leaves 25-35 MB, and
58 MB more the first time the WOFF2 fonts are unpacked). The caller renders the template
(it has the database and the settings) and hands the HTML to
``python -m documents.pdf_process``; whatever the child allocates goes back to the system
when it exits. A child takes the next job if it comes within ``IDLE`` seconds (starting one
costs 0.7 s, mostly loading Pango), and exits after ``JOBS`` jobs or ``IDLE`` seconds
without one, so its memory is held only while PDFs are being made.

No Django here: a job carries everything the child needs. Jobs and answers are JSON
frames (an 8-byte length, then the bytes) on the child's stdin and stdout:

    {"kind": "render", "html", "base_url", "roots", "font"} -> {"pdf" (base64), "missing"}
    {"kind": "unpack", "source", "directory"}              -> {"path"}

A resource outside ``roots`` (or any non-file, non-data URL) answers
``{"error": ..., "forbidden": true}``; the caller raises DocumentRenderError.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import select
import signal
import subprocess  # nosec B404 # runs this interpreter on its own module, no shell
import sys
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 600  # seconds; a long plan book takes well under a minute
IDLE = 10  # seconds a child waits for its next job
# jobs a child does before it exits: each rendering leaves about 10 MB in Pango and
# Fontconfig (a child is 81 MB after its first document, 102 MB after its third)
JOBS = 8

_TAG_RE = re.compile(r"<(style|script)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)


class DocumentRenderError(RuntimeError):
    """The document could not be rendered as asked (a resource is missing or forbidden)."""


def html_text(html: str) -> str:
    """The visible text of rendered HTML, roughly (tags, styles and scripts dropped)."""
    return _TAG_RE.sub(" ", html)


# --------------------------------------------------------------------------- the caller's side


class _Child:
    """This process's child, started on demand; one job at a time (gthread workers have
    several threads). A forked copy of this process starts its own."""

    lock = threading.Lock()
    process: subprocess.Popen | None = None
    jobs = 0


def _reset_after_fork() -> None:
    _Child.lock = threading.Lock()
    _Child.process = None


os.register_at_fork(after_in_child=_reset_after_fork)


def _process() -> subprocess.Popen:
    process = _Child.process
    if process is not None and (process.poll() is not None or _Child.jobs >= JOBS):
        _drop(process)  # gone (IDLE) or going (JOBS done)
        process = None
    if process is None:
        # its stderr is this process's (warnings and errors reach the server's log)
        process = subprocess.Popen(  # noqa: S603  # nosec B603 # our own interpreter and module
            [sys.executable, "-m", "documents.pdf_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        _Child.process, _Child.jobs = process, 0
    return process


def _drop(process: subprocess.Popen) -> None:
    process.stdin.close()  # a waiting child sees the end of its input and exits
    process.stdout.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    _Child.process = None


def run(job: dict) -> dict:
    """Do ``job`` in a child process and return its answer."""
    frame = json.dumps(job).encode()
    with _Child.lock:
        for attempt in (1, 2):
            process = _process()
            try:
                _write(process.stdin.fileno(), frame)
                answer = _read(process.stdout.fileno(), time.monotonic() + TIMEOUT)
                if answer is None:
                    raise EOFError("the PDF process ended")
            except (BrokenPipeError, EOFError) as error:
                # it left between two jobs (IDLE reached as this job came): once more
                _drop(process)
                if attempt == 2:
                    raise DocumentRenderError(f"PDF process ({job['kind']}): {error}") from error
                continue
            except TimeoutError as error:
                process.kill()
                _drop(process)
                raise DocumentRenderError(
                    f"PDF process ({job['kind']}) took over {TIMEOUT} s"
                ) from error
            _Child.jobs += 1
            break
    answer = json.loads(answer)
    if "error" in answer:
        raise DocumentRenderError(answer["error"])
    return answer


def _write(fd: int, frame: bytes) -> None:
    data = memoryview(len(frame).to_bytes(8, "big") + frame)
    while data:
        data = data[os.write(fd, data) :]


def _read(fd: int, deadline: float | None) -> bytes | None:
    """One frame from ``fd``; None at the end of the stream before a frame begins."""
    size = _exactly(fd, 8, deadline, eof_ok=True)
    if size is None:
        return None
    return _exactly(fd, int.from_bytes(size, "big"), deadline)


def _exactly(fd: int, count: int, deadline: float | None, *, eof_ok: bool = False):
    parts, left = [], count
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            if eof_ok and left == count:
                return None
            raise EOFError("the PDF process ended")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def render(html: str, *, base_url: str, roots: list[str], font: str) -> tuple[bytes, list[str]]:
    """The PDF of ``html`` and the characters of its text that ``font`` cannot draw."""
    answer = run(
        {"kind": "render", "html": html, "base_url": base_url, "roots": roots, "font": font}
    )
    return base64.b64decode(answer["pdf"]), answer["missing"]


def unpack(source: Path, directory: Path) -> Path:
    """An OTF/TTF copy of the WOFF/WOFF2 font ``source`` in ``directory`` (made once)."""
    found = _cached(source, directory, hashlib.sha256(source.read_bytes()).hexdigest()[:16])
    if found is not None:
        return found
    return Path(run({"kind": "unpack", "source": str(source), "directory": str(directory)})["path"])


def _cached(source: Path, directory: Path, digest: str) -> Path | None:
    for suffix in (".otf", ".ttf"):
        cached = directory / f"{source.stem}-{digest}{suffix}"
        if cached.is_file():
            return cached
    return None


# --------------------------------------------------------------------------- the child's side


def _unpack(source: Path, directory: Path) -> Path:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    found = _cached(source, directory, digest)
    if found is not None:
        return found
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    suffix = ".otf" if "CFF " in font else ".ttf"
    font.flavor = None
    cached = directory / f"{source.stem}-{digest}{suffix}"
    directory.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=directory, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.chmod(partial, 0o644)
        os.replace(partial, cached)  # atomic: concurrent processes never read half a file
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return cached


@lru_cache(maxsize=8)
def _covered(font: str, mtime: float) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True, fontNumber=0) as loaded:
        return frozenset(loaded.getBestCmap())


def _missing(text: str, font: str) -> list[str]:
    covered = _covered(font, os.stat(font).st_mtime)  # read once per child
    return sorted({c for c in text if not c.isspace() and ord(c) > 0x1F and ord(c) not in covered})


def _fetcher(roots: list[str]):
    from weasyprint.urls import URLFetcher

    allowed = [Path(root) for root in roots]

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise DocumentRenderError(f"Resource outside the allowed directories: {path}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


def _render(job: dict) -> dict:
    import logging

    # WeasyPrint logs every rendering step at INFO
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    missing = _missing(html_text(job["html"]), job["font"])
    document = HTML(
        string=job["html"], base_url=job["base_url"], url_fetcher=_fetcher(job["roots"])
    )
    try:
        pdf = document.write_pdf()
    except FatalURLFetchingError as error:  # a BaseException in WeasyPrint
        cause = error.__cause__ or error
        return {"error": f"{error} ({cause})", "forbidden": True}
    return {"pdf": base64.b64encode(pdf).decode(), "missing": missing}


def _do(job: dict) -> dict:
    try:
        if job["kind"] == "render":
            return _render(job)
        if job["kind"] == "unpack":
            return {"path": str(_unpack(Path(job["source"]), Path(job["directory"])))}
        return {"error": f"unknown job {job['kind']!r}"}
    except Exception as error:  # noqa: BLE001  # the caller raises it; this child goes on
        return {"error": f"{type(error).__name__}: {error}"}


def main() -> None:
    stdin, stdout = sys.stdin.fileno(), os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot break a frame
    for _ in range(JOBS):
        if not select.select([stdin], [], [], IDLE)[0]:
            return  # nothing to do: give the memory back
        frame = _read(stdin, None)
        if frame is None:
            return  # the caller is gone
        signal.alarm(TIMEOUT)  # the caller may be gone while this job runs
        answer = _do(json.loads(frame))
        signal.alarm(0)
        _write(stdout, json.dumps(answer).encode())


if __name__ == "__main__":
    main()
