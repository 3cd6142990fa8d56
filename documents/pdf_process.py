"""PDF work in a short-lived child process: WeasyPrint, Pango and fontTools never load into
the web or Celery process that asks for a PDF.

Rendered in the process itself, one publicity notice took a gunicorn worker from 71 to
about 140 MB for the rest of its life (importing WeasyPrint and Pango 15 MB, the body
font's character map 13 MB, the rendering and the font caches it leaves 25-35 MB, and
58 MB more the first time the WOFF2 fonts are unpacked). The caller renders the template
(it has the database and the settings) and hands the HTML to
``python -m documents.pdf_process``; whatever the child allocates goes back to the system
when it exits.

No Django here: a job (JSON on stdin) carries everything the child needs, the answer is
JSON on stdout. Jobs:

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
import signal
import subprocess  # nosec B404 # runs this interpreter on its own module, no shell
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 600  # seconds; a long plan book takes well under a minute

_TAG_RE = re.compile(r"<(style|script)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)


class DocumentRenderError(RuntimeError):
    """The document could not be rendered as asked (a resource is missing or forbidden)."""


def html_text(html: str) -> str:
    """The visible text of rendered HTML, roughly (tags, styles and scripts dropped)."""
    return _TAG_RE.sub(" ", html)


# --------------------------------------------------------------------------- the caller's side


def run(job: dict) -> dict:
    """Do ``job`` in a child process and return its answer."""
    try:
        done = subprocess.run(  # noqa: S603  # nosec B603 # our own interpreter and module
            [sys.executable, "-m", "documents.pdf_process"],
            input=json.dumps(job).encode(),
            capture_output=True,
            cwd=ROOT,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise DocumentRenderError(f"PDF process ({job['kind']}) took over {TIMEOUT} s") from error
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise DocumentRenderError(
            f"PDF process ({job['kind']}) failed with {done.returncode}: " + " | ".join(tail)
        )
    answer = json.loads(done.stdout)
    if "error" in answer:
        raise DocumentRenderError(answer["error"])
    return answer


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


def _missing(text: str, font: str) -> list[str]:
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True, fontNumber=0) as loaded:
        covered = loaded.getBestCmap()
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


def main() -> None:
    signal.alarm(TIMEOUT)  # the caller may be gone (a worker killed on its timeout)
    job = json.loads(sys.stdin.buffer.read())
    if job["kind"] == "render":
        answer = _render(job)
    elif job["kind"] == "unpack":
        answer = {"path": str(_unpack(Path(job["source"]), Path(job["directory"])))}
    else:
        raise SystemExit(f"unknown job {job['kind']!r}")
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
