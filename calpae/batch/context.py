"""How batch workers are started: forked from a fork server that has calpae preloaded (calpae.batch.preload).

Kept apart from the runner so that `calpae batch` can start the fork server first thing: its preload (~1 s:
the stage modules, the referential, spaCy) then runs beside the driver's own imports, store and planning
instead of after them."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context

PRELOAD_MODULES = ["calpae.batch.preload"]


def worker_context() -> multiprocessing.context.BaseContext:
    """Fork server with calpae preloaded (fast, recyclable workers); spawn where fork is unavailable."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD_MODULES)
        return ctx
    return multiprocessing.get_context("spawn")


def start_fork_server() -> None:
    """Start the fork server now if workers will come from one; the pool connects to it later."""
    if worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
