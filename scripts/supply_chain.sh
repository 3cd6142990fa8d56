#!/usr/bin/env bash
# Supply-chain checks (`make security`; .ci/run runs the pip-audit part, the test suite runs
# bandit through tests/infra/test_supply_chain.py):   scripts/supply_chain.sh [bandit|pip-audit]
#  1. bandit over the apps and config (accepted findings: `# nosec` with a reason; the list
#     is in pyproject.toml [tool.bandit]); any other finding fails.
#  2. pip-audit of the installed, hash-pinned dependencies against PyPI's advisory data or
#     OSV, whichever answers within a few seconds; when neither does, it is skipped with the
#     reason printed (not a failure: the check cannot run without an advisory database).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
APPS=(config accounts applications audit centers documents evaluations notifications numbering reviews workdays)

WHAT="${1:-all}"

if [ "$WHAT" = all ] || [ "$WHAT" = bandit ]; then
  echo "== bandit (${APPS[*]})"
  "$VENV/bin/bandit" -c pyproject.toml -r "${APPS[@]}" -x '*/migrations/*' -q --format txt
  echo "bandit: no findings beyond the accepted ones (pyproject.toml [tool.bandit])"
fi
[ "$WHAT" = all ] || [ "$WHAT" = pip-audit ] || exit 0

echo "== pip-audit"
service="$("$VENV/bin/python" - <<'PYEOF'
import json, urllib.request
from importlib.metadata import version

def probe():
    reasons = []
    url = f"https://pypi.org/pypi/django/{version('django')}/json"
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # nosec B310 - fixed https URL
            if "vulnerabilities" in json.load(r):
                return "pypi", ""
            reasons.append("PyPI's release JSON has no vulnerability data")
    except Exception as exc:  # noqa: BLE001 - any failure means: not reachable
        reasons.append(f"PyPI release JSON: {exc}")
    query = {"package": {"name": "django", "ecosystem": "PyPI"}, "version": version("django")}
    request = urllib.request.Request(
        "https://api.osv.dev/v1/query", data=json.dumps(query).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as r:  # nosec B310 - fixed https URL
            json.load(r)
            return "osv", ""
    except Exception as exc:  # noqa: BLE001
        reasons.append(f"OSV: {exc}")
    return "", "; ".join(reasons)

service, reason = probe()
print(service or f"SKIP {reason}")
PYEOF
)"
case "$service" in
  SKIP*) echo "pip-audit skipped: no advisory database reachable (${service#SKIP })" ;;
  *)
    "$VENV/bin/pip-audit" --vulnerability-service "$service" --progress-spinner off \
      --skip-editable --desc off
    ;;
esac
