"""axe-core (vendored from the npm package, MPL-2.0: tests/e2e/vendor/axe-core/) in the browser tests.

``violations(page)`` injects axe into the loaded page through the DevTools protocol (not a
``<script>`` element, so the site's strict Content-Security-Policy stays as it is) and runs
the WCAG 2.1 A and AA rules. Each violation comes back as one readable line: rule, impact,
what is wrong and the first elements it found. The file is never served by the site.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NODES_SHOWN = 3

RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def violations(page, *, label: str | None = None) -> list[str]:
    """The WCAG 2.1 A/AA violations on the page as lines ``[label] rule (impact): help: nodes``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate(RUN, TAGS)
    where = label or page.url
    lines = []
    for v in found:
        nodes = "; ".join(
            f"{n['target']} — {n['summary'].splitlines()[-1].strip() if n['summary'] else ''}"
            for n in v["nodes"][:NODES_SHOWN]
        )
        more = f" (+{len(v['nodes']) - NODES_SHOWN} more)" if len(v["nodes"]) > NODES_SHOWN else ""
        lines.append(f"[{where}] {v['id']} ({v['impact']}, {len(v['nodes'])}×): {nodes}{more}")
    return lines


def assert_no_violations(page, *, label: str | None = None) -> None:
    found = violations(page, label=label)
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)
