"""Loaded by pytest before Django's settings (``-p tests.plain_static`` in pyproject.toml):
the suite serves static files by their source names (STATIC_MANIFEST=0, config/settings.py),
as the live test server finds them, and WhiteNoise looks at an empty STATIC_ROOT of its own
(never the demo's var/staticfiles). tests/ui/test_static_files.py runs collectstatic itself
and checks the hashed, compressed, cached files."""

import os
import tempfile

os.environ["STATIC_MANIFEST"] = "0"
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="sxtic-test-static-")
