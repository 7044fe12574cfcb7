"""spaCy's parser in a sibling process, loaded on the other core while this process reads the document (issue 17).

Loading the French pipeline with its parser costs about a CPU second (spaCy's imports and the model), and a
document's prose is parsed only after its pages are read and its tables found. A process that does not hold the
pipeline calls `start()` when it begins a document: a forked sibling loads the pipeline while this process reads.
When the prose needs its parse, `call(payload)` sends the candidate sentences (with a copy of the document without
its words) to the sibling, which runs the same steps on them and sends the analysis back (results are identical:
the same code on the same data). Only `calpae extract`'s workers use one; a batch worker from the fork server
loads the pipeline itself, once, when its first document needs it.

`calpae extract` starts it even earlier, from the driver before its database (`start(..., handover=True)`): the
first process the driver forks next (its worker) takes it over, and the driver lets go of it (were that fork
another child, the worker would start its own sibling: slower, never wrong). The sibling inherits the memory cap
of the process that starts it, or sets `max_memory_mb`; it exits when its owner closes the pipe or its parent dies.
If it dies, `call` returns None and the caller analyses in place; a deadline or interrupt raised while waiting
kills it. `CALPAE_PARSER_PROCESS=0` disables the mechanism (everything runs in place, as before).
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from typing import Any

ENV = "CALPAE_PARSER_PROCESS"
_PR_SET_PDEATHSIG = 1  # prctl option (Linux): a signal sent to this process when its parent dies


@dataclass
class _Sibling:
    pid: int
    conn: Connection
    owner: int  # the pid that uses it: a process forked from the owner must not use the owner's sibling
    handover: bool = False  # the owner's next fork (its worker) takes it over


_sibling: _Sibling | None = None
_handed: list[int] = []  # siblings this process forked and handed over: still its children, reaped by stop()


def _adopt_in_child() -> None:
    """After a fork, in the child: a sibling being handed over is now this process's (those handed over before are
    not: the parent reaps them)."""
    _handed.clear()
    if _sibling is not None and _sibling.handover:
        _sibling.owner, _sibling.handover = os.getpid(), False


def _release_in_parent() -> None:
    """After a fork, in the parent: a sibling being handed over is the child's now (the parent's end is closed, so
    the sibling sees its new owner's exit)."""
    global _sibling
    if _sibling is not None and _sibling.handover:
        _sibling.conn.close()
        _handed.append(_sibling.pid)
        _sibling = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_adopt_in_child, after_in_parent=_release_in_parent)


def enabled() -> bool:
    return hasattr(os, "fork") and os.environ.get(ENV, "").strip().lower() not in ("0", "false", "no", "off")


def running() -> bool:
    return _sibling is not None and _sibling.owner == os.getpid()


def start(
    load: Callable[[], object],
    serve: Callable[[Any], Any],
    handover: bool = False,
    max_memory_mb: int | None = None,
) -> bool:
    """Fork a sibling that runs load() now, then serve(payload) for every payload sent; True when one runs.
    handover: for this process's next fork (see the module docstring); max_memory_mb: its address-space cap."""
    global _sibling
    if running():
        return True
    _sibling = None  # one inherited from the process this one was forked from is not ours
    if not enabled():
        return False
    mine, theirs = Pipe(duplex=True)
    pid = os.fork()
    if pid == 0:  # the sibling: never returns into the caller's code
        code = 1
        try:
            mine.close()
            _serve(theirs, load, serve, max_memory_mb)
            code = 0
        finally:
            os._exit(code)
    theirs.close()
    _sibling = _Sibling(pid, mine, os.getpid(), handover)
    return True


def limit_memory(max_mb: int | None) -> None:
    """Cap this process's address space so a runaway document fails alone with MemoryError."""
    if max_mb:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_mb * 1024 * 1024
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(
    conn: Connection, load: Callable[[], object], serve: Callable[[Any], Any], max_memory_mb: int | None
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's; this process follows its parent
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the deadline is the parent's (timers are not inherited)
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # a worker killed on its deadline takes this along
    except (OSError, AttributeError):
        pass  # not Linux: the closed pipe ends this process at its next read
    limit_memory(max_memory_mb)
    load()
    while True:
        try:
            payload = _receive(conn)
        except (EOFError, OSError):
            return
        try:
            reply: tuple[bool, Any] = (True, serve(payload))
        except Exception as exc:
            reply = (False, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # the result or the exception does not pickle
            conn.send((False, RuntimeError(f"parser process: {type(exc).__name__}: {exc}")))


def call(payload: Any) -> tuple[bool, Any] | None:
    """serve(payload) in the sibling: (True, result) or (False, the exception it raised); None when no sibling
    runs or it died (the caller then does the work in place)."""
    if not running():
        return None
    assert _sibling is not None
    try:
        _sibling.conn.send(payload)
        reply: tuple[bool, Any] = _receive(_sibling.conn)
        return reply
    except (EOFError, OSError):  # it died (memory cap, crash): the work runs here
        stop()
        return None
    except BaseException:  # a deadline or interrupt while waiting: its answer would come to the next document
        stop()
        raise


def _receive(conn: Connection) -> Any:
    """conn.recv() with the cyclic garbage collector paused: unpickling thousands of models otherwise runs it
    many times over objects that are all alive (a 100-page document took 0.35 s instead of 0.03)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return conn.recv()
    finally:
        if was_enabled:
            gc.enable()


def stop() -> None:
    """End this process's sibling (if any) and those it handed over (their new owners are done), and reap them."""
    global _sibling
    sib, _sibling = _sibling, None
    pids = [sib.pid] if sib is not None and sib.owner == os.getpid() else []
    if sib is not None and pids:
        sib.conn.close()
    pids += _handed
    _handed.clear()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # not ours to reap (a handed-over sibling: its forker reaps it)
            pass
