"""How batch workers are started: forked from a fork server that has calpae preloaded (calpae.batch.preload).

Kept apart from the runner so that `calpae batch` can start the fork server first thing: its preload (~0.7 CPU s:
the stage modules, the referential; spaCy loads in the workers) then runs beside the driver's own imports, store and
planning instead of after them. `calpae extract` forks its worker from the driver instead, with spaCy loading in a
sibling process started first thing (calpae.parser_process)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the driver does not import the stages for them
    from calpae.indicators.prose_carry import Candidate
    from calpae.indicators.prose_figures import ProseAnalysis
    from calpae.models import Document

PRELOAD_MODULES = ["calpae.batch.preload"]


def worker_context(fork_server: bool = True) -> multiprocessing.context.BaseContext:
    """Fork server with calpae preloaded (fast, recyclable workers); spawn where fork is unavailable.

    fork_server=False (`calpae extract`: a document or a few): workers are forked from this process, which has
    already imported the models and the batch machinery, instead of paying a new interpreter and the server's
    preload first; the deadline (SIGALRM) and the memory cap (RLIMIT_AS) are set in the worker all the same."""
    methods = multiprocessing.get_all_start_methods()
    if not fork_server and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD_MODULES)
        return ctx
    return multiprocessing.get_context("spawn")


def start_fork_server() -> None:
    """Start the fork server now if workers will come from one; the pool connects to it later."""
    if worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def start_parser_early(max_memory_mb: int | None) -> bool:
    """`calpae extract`: fork the process that loads spaCy's parser now, before this process's database and the
    worker's reading, and hand it to the first worker (calpae.parser_process): it loads while the worker reads.

    What both of them need (the models, the prose modules, numpy, the referential: ~0.5 CPU s) is imported here
    first, once, instead of in each after the fork: the parser process needs it before it can serve anyway."""
    from calpae import parser_process

    if parser_process.enabled():
        import numpy  # noqa: F401  (spaCy's thinc and the PDF reader's tables both import it)

        from calpae.indicators import prose  # noqa: F401  (the models and the prose modules)
        from calpae.referential import load_referential

        load_referential()
    return parser_process.start(_load_parser, _parse_candidates, handover=True, max_memory_mb=max_memory_mb)


def _load_parser() -> None:
    from calpae.indicators.prose import load_parser

    load_parser()


def _parse_candidates(payload: tuple[Document, list[Candidate]]) -> ProseAnalysis:
    from calpae.indicators.prose import parse_candidates

    return parse_candidates(payload)
