"""Process-tree helpers for the batch benchmarks: who is who in a running `calpae batch` (driver, fork server,
workers), their memory, and when the first worker starts on a document. Linux /proc only."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def process_roles(root: int) -> dict[int, str]:
    """The batch's process tree by role: driver, forkserver, worker (forked by the fork server), other."""
    roles = {root: "driver"}
    stack = [root]
    while stack:
        pid = stack.pop()
        for child in _children(pid):
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if roles[pid] == "forkserver":
                roles[child] = "worker"
            elif "forkserver" in cmdline:
                roles[child] = "forkserver"
            elif "resource_tracker" in cmdline:
                roles[child] = "resource_tracker"
            else:  # spawn-started workers (no fork server)
                roles[child] = "worker" if "multiprocessing" in cmdline else "other"
            stack.append(child)
    return roles


def sample_memory(proc: subprocess.Popen, interval: float = 0.5) -> dict:
    """Sample VmRSS of every process of the batch until it exits: peak per role, and the driver's peak
    while workers are alive (documents) vs after (reconcile, exports)."""
    peaks: dict[str, float] = {}
    driver_docs = driver_end = 0.0
    worker_pids: set[int] = set()
    timeline = []
    t0 = time.monotonic()
    while proc.poll() is None:
        roles = process_roles(proc.pid)
        workers_alive = any(r == "worker" for r in roles.values())
        for pid, role in roles.items():
            rss = _rss_mb(pid)
            if rss is None:
                continue
            peaks[role] = max(peaks.get(role, 0.0), rss)
            if role == "worker":
                worker_pids.add(pid)
            if role == "driver":
                if workers_alive:
                    driver_docs = max(driver_docs, rss)
                else:
                    driver_end = max(driver_end, rss)
                timeline.append((round(time.monotonic() - t0, 1), round(rss), workers_alive))
        time.sleep(interval)
    return {
        "peak_mb": {k: round(v) for k, v in peaks.items()},
        "driver_during_documents_mb": round(driver_docs),
        "driver_after_documents_mb": round(driver_end),
        "workers_seen": len(worker_pids),
        "driver_timeline": timeline[:: max(1, len(timeline) // 60)],
    }


def _open_paths(pid: int) -> list[str]:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    out = []
    for fd in fds:
        try:
            out.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
    return out


def first_document(proc: subprocess.Popen, folder: Path, t0: float, interval: float = 0.005) -> dict:
    """Seconds from t0 until the fork server exists, the first worker exists, and the first worker holds a file
    of `folder` open (the reader keeps a PDF open while it works on it: the document has started). The driver
    opens the files too (to hash them), so only workers count. Polls /proc every `interval` seconds."""
    seen: dict[str, float] = {}
    prefix = str(Path(folder).resolve())
    while proc.poll() is None:
        for pid, role in process_roles(proc.pid).items():
            if role not in ("forkserver", "worker"):
                continue
            seen.setdefault(role, time.perf_counter() - t0)
            if role == "worker" and any(p.startswith(prefix) for p in _open_paths(pid)):
                seen["document"] = time.perf_counter() - t0
                return seen
        time.sleep(interval)
    return seen
