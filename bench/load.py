"""A small bounded load generator (threads with http.client, keep-alive off like most
browsers' first visit) and the process figures the province benchmark reads.

    python bench/load.py 127.0.0.1 8813 /centers/registry/ --seconds 5 --threads 6
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from pathlib import Path


def _one(host: str, port: int, path: str) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Language": "zh-hans"})
        response = conn.getresponse()
        while response.read(65536):
            pass
        return response.status
    finally:
        conn.close()


def run(host: str, port: int, path: str, *, seconds: float = 5.0, threads: int = 6) -> dict:
    """GET ``path`` from ``threads`` threads for ``seconds``; requests per second and latency."""
    return _figures(*_load(host, port, path, seconds=seconds, threads=threads))


def run_interleaved(
    host: str, port: int, paths: dict, *, seconds: float = 4.0, threads: int = 6, rounds: int = 3
) -> dict:
    """Each of ``paths`` (label -> path) in turn, ``rounds`` times, ``seconds`` in all per
    path: on a shared machine whose load drifts, every page (and ``/healthz``, which the
    ratios divide by) gets a share of each quiet and busy moment."""
    parts = {label: ([], 0, 0.0) for label in paths}
    for _ in range(rounds):
        for label, path in paths.items():
            latencies, errors, elapsed = _load(
                host, port, path, seconds=seconds / rounds, threads=threads
            )
            kept, failed, spent = parts[label]
            parts[label] = (kept + latencies, failed + errors, spent + elapsed)
    return {label: _figures(*part) for label, part in parts.items()}


def _load(host: str, port: int, path: str, *, seconds: float, threads: int):
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker():
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                ok = _one(host, port, path) == 200
            except OSError:
                ok = False
            if ok:
                mine.append((time.perf_counter() - start) * 1000)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, errors[0], time.perf_counter() - began


def _figures(latencies: list[float], errors: int, elapsed: float) -> dict:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)], 1) if latencies else 0.0,
    }


def wait_ready(host: str, port: int, path: str, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _one(host, port, path) == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"http://{host}:{port}{path} did not answer in {timeout} s")


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set size) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="GET one path from a few threads")
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("path")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    print(run(args.host, args.port, args.path, seconds=args.seconds, threads=args.threads))
