"""A process pool for batch documents: one document per worker at a time, workers recycled on RSS or quota.

Why not concurrent.futures: its workers may only retire after a task count fixed before the task runs
(max_tasks_per_child), and a worker that exits on its own breaks the whole pool. Here each worker has
its own pipe and holds exactly one task, so a worker that passes its RSS cap after a document returns
the result, says it is its last, and exits; the driver starts a fresh one. A worker that dies is
known exactly by the document it held: that document fails alone, none is lost or run twice.
"""

from __future__ import annotations

import os
import resource
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from calpae import parser_process
from calpae.batch.names import clean_text
from calpae.parser_process import limit_memory

HARD_TIMEOUT_GRACE = 10.0  # seconds past the per-document timeout before the driver kills a stuck worker


def rss_mb() -> float:
    """This process's resident memory now (MB), from /proc; its peak where /proc is missing."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024 if os.uname().sysname != "Darwin" else peak / 2**20


@dataclass(frozen=True)
class Limits:
    max_memory_mb: int | None = None  # address-space cap (a runaway document fails with MemoryError)
    recycle_rss_mb: float | None = None  # past this RSS after a document, the worker retires
    tasks_per_worker: int | None = None  # ... and after this many documents
    tmpdir: str | None = None  # the run's work folder: every temporary file of the worker goes there


def _worker_main(conn: Connection, fn: Callable[..., Any], limits: Limits) -> None:
    """Worker loop: receive args, send (ok, result|error text, last, rss); retire when `last` (with the sibling
    process that holds its parser, if fn started one)."""
    try:
        _serve(conn, fn, limits)
    finally:
        parser_process.stop()


def _serve(conn: Connection, fn: Callable[..., Any], limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle; it stops the workers
    limit_memory(limits.max_memory_mb)
    if limits.tmpdir:  # a killed worker leaves its temporary files where the driver removes them
        tempfile.tempdir = limits.tmpdir
        os.environ["TMPDIR"] = limits.tmpdir
    done = 0
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            return
        if args is None:
            return
        done += 1
        try:
            reply: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # fn should not raise; if it does, the document fails, the worker lives
            reply = (False, clean_text(f"worker error: {type(exc).__name__}: {exc}"))
        rss = rss_mb()
        last = bool(
            (limits.tasks_per_worker and done >= limits.tasks_per_worker)
            or (limits.recycle_rss_mb and rss > limits.recycle_rss_mb)
        )
        try:
            conn.send((*reply, last, rss))
        except Exception as exc:  # the result does not pickle: say so instead of dying
            conn.send((False, clean_text(f"worker error: result not sendable: {type(exc).__name__}: {exc}"), last, rss))
        if last:
            conn.close()
            return


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    task: Any = None
    started: float = 0.0


@dataclass
class Outcome:
    """What came back for one task: the result, or why there is none (worker error, crash, timeout)."""

    task: Any
    ok: bool
    value: Any  # fn's result when ok, else the reason text
    rss_mb: float | None = None


@dataclass
class WorkerPool:
    """N workers from `ctx`, each running fn(*args) for one task at a time."""

    ctx: Any
    size: int
    fn: Callable[..., Any]
    limits: Limits = field(default_factory=Limits)
    hard_timeout: float | None = None  # a worker busy longer than this is killed (its document fails)
    recycled: int = 0  # workers retired on quota or RSS and replaced
    crashed: int = 0
    workers: list[_Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workers = [self._start() for _ in range(self.size)]

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(child, self.fn, self.limits), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _replace(self, w: _Worker, kill: bool = False) -> None:
        if kill and w.proc.is_alive():
            w.proc.kill()
        w.proc.join(timeout=10)
        w.conn.close()
        self.workers[self.workers.index(w)] = self._start()

    def idle(self) -> bool:
        return any(w.task is None for w in self.workers)

    def busy(self) -> int:
        return sum(w.task is not None for w in self.workers)

    def submit(self, task: Any, *args: Any) -> None:
        """Give a task to an idle worker (call only when idle())."""
        w = next(w for w in self.workers if w.task is None)
        w.task, w.started = task, time.monotonic()
        try:
            w.conn.send(args)
        except (OSError, ValueError):  # the idle worker died meanwhile: a fresh one takes the task
            self._replace(w, kill=True)
            self.submit(task, *args)

    def results(self, timeout: float | None = None) -> list[Outcome]:
        """Every outcome ready, waiting for one at most `timeout` seconds (None: until one comes)."""
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return []
        if self.hard_timeout:
            now = time.monotonic()
            due = max(0.0, min(w.started + self.hard_timeout - now for w in busy))
            timeout = due if timeout is None else min(timeout, due)
        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout))
        out = []
        for w in busy:
            if w.conn in ready or w.proc.sentinel in ready:
                out.append(self._collect(w))
            elif self.hard_timeout and time.monotonic() - w.started >= self.hard_timeout:
                out.append(
                    self._finish(
                        w, Outcome(w.task, False, f"timed out after {self.hard_timeout:g} s (worker killed)"), kill=True
                    )
                )
        return out

    def _collect(self, w: _Worker) -> Outcome:
        try:
            if not w.conn.poll():
                raise EOFError
            ok, value, last, rss = w.conn.recv()
        except (EOFError, OSError):
            self.crashed += 1
            code = w.proc.exitcode
            how = f" (signal {-code})" if code is not None and code < 0 else ""
            return self._finish(
                w, Outcome(w.task, False, f"the parser crashed (worker process died{how}) on this file"), kill=True
            )
        outcome = Outcome(w.task, ok, value, rss)
        if last:
            self.recycled += 1
            return self._finish(w, outcome)
        w.task = None
        return outcome

    def _finish(self, w: _Worker, outcome: Outcome, kill: bool = False) -> Outcome:
        self._replace(w, kill=kill)
        return outcome

    def close(self, kill: bool = False) -> None:
        """Stop every worker: politely (None), or at once (kill) when the run is interrupted."""
        for w in self.workers:
            if not kill and w.task is None:
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
        for w in self.workers:
            if kill or w.task is not None:
                w.proc.kill()
            w.proc.join(timeout=10)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
            w.conn.close()
        self.workers = []
