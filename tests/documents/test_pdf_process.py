"""PDFs are made in a child process: the caller never loads WeasyPrint or fontTools."""

import json
import os
import subprocess
import sys

import pytest

from documents import pdf_process
from documents.pdf import DocumentRenderError

SCRIPT = """
import json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
sys.path.insert(0, {root!r})
django.setup()
from documents.pdf import render_official_document
pdf = render_official_document("documents/official_base.html", {{}}, title="子进程排版", number="")
print(json.dumps({{
    "pdf": pdf[:4].decode(),
    "loaded": sorted(m for m in ("weasyprint", "fontTools", "pydyf") if m in sys.modules),
}}))
"""


@pytest.mark.django_db
def test_the_caller_renders_the_template_and_a_child_the_pdf(settings, tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "VAR_DIR": str(tmp_path)}  # fonts unpacked too
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(root=str(settings.BASE_DIR))],
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
    answer = json.loads(result.stdout.decode().strip().splitlines()[-1])
    assert answer == {"pdf": "%PDF", "loaded": []}
    unpacked = {path.suffix for path in (tmp_path / "cache" / "document-fonts").iterdir()}
    assert unpacked and unpacked <= {".otf", ".ttf"}


def test_a_failing_child_is_a_render_error():
    with pytest.raises(DocumentRenderError, match="unknown job"):
        pdf_process.run({"kind": "nonsense"})


def _unpack_job():
    from documents import fonts

    role = fonts.ROLES_BY_KEY["kai"]
    return fonts.SHIPPED_DIR / role.shipped


def test_one_child_does_the_next_jobs_and_a_gone_one_is_replaced(tmp_path):
    source = _unpack_job()
    first = pdf_process.run({"kind": "unpack", "source": str(source), "directory": str(tmp_path)})
    child = pdf_process._Child.process
    again = pdf_process.run({"kind": "unpack", "source": str(source), "directory": str(tmp_path)})
    assert again == first and pdf_process._Child.process is child  # the same child
    child.kill()  # as when it leaves after IDLE seconds without a job
    child.wait()
    third = pdf_process.run({"kind": "unpack", "source": str(source), "directory": str(tmp_path)})
    assert third == first and pdf_process._Child.process is not child
    assert len(list(tmp_path.iterdir())) == 1  # unpacked once


def test_a_child_leaves_after_its_jobs(tmp_path):
    job = {"kind": "unpack", "source": str(_unpack_job()), "directory": str(tmp_path)}
    pdf_process.run(job)
    children = {pdf_process._Child.process.pid}
    for _ in range(pdf_process.JOBS):
        pdf_process.run(job)
        children.add(pdf_process._Child.process.pid)
    assert len(children) == 2  # the first did JOBS jobs and left; the next took over
