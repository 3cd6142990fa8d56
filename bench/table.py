"""Markdown tables from var/bench/province-<database>.json (for the README's benchmark section).

.venv/bin/python bench/table.py var/bench/province-sqlite3.json
"""

import json
import sys


def pages(report) -> list[str]:
    lines = [
        "| page | app median / p95 ms | queries small → full | admin median ms | admin queries "
        "small → full | app ÷ admin |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["full"]:
        app, adm = row.get("app"), row["admin"]
        left = (
            f"{app['median_ms']:.0f} / {app['p95_ms']:.0f} | {app['queries_small']} → "
            f"{app['queries']}"
            if app
            else "– | –"
        )
        ratio = f"{row['ratio']:.2f}" if "ratio" in row else "–"
        lines.append(
            f"| {row['page']} | {left} | {adm['median_ms']:.0f} | {adm['queries_small']} → "
            f"{adm['queries']} | {ratio} |"
        )
    return lines


def load(report) -> list[str]:
    if "load" not in report:
        return []
    lines = [
        "",
        "| under load (gunicorn, 3 workers) | req/s | p95 ms | ÷ /healthz |",
        "|---|---|---|---|",
    ]
    for label, figures in report["load"]["pages"].items():
        lines.append(
            f"| {label} | {figures['rps']:.0f} | {figures['p95_ms']:.0f} | "
            f"{figures['ratio_to_healthz']:.2f} |"
        )
    lines.append("")
    lines.append(
        f"Peak RSS of a gunicorn worker after the load: {report['load']['max_worker_peak_rss_mb']} MB."
    )
    return lines


def main(path: str) -> None:
    report = json.load(open(path, encoding="utf-8"))  # noqa: SIM115
    rows = report["full_rows"]
    print(
        f"{report['database']}, scale {report['scale']} ({rows['plans']} plans, {rows['centers']} "
        f"centers, {rows['experts']} experts, {rows['audit_events']} audit events; plus the small "
        f"province), {report['cpus']} cores, load average {report['load_average_at_start']:.1f} "
        f"at the start, {report['seconds']:.0f} s in all.\n"
    )
    print("\n".join(pages(report) + load(report)))
    des, pdf = report["designation"], report["pdf"]
    print(
        f"\nDesignation task: {des['designated']} of {des['plans']} plans in {des['seconds']} s "
        f"({des['ms_per_plan']} ms per plan). Publicity notice PDF ({pdf['publicity_notice_items']} "
        f"items): {pdf['publicity_notice_ms']:.0f} ms; designation notice PDF: "
        f"{pdf['designation_notice_ms']:.0f} ms."
    )


if __name__ == "__main__":
    main(sys.argv[1])
