"""What a run has to do: the scanned inputs against what the database already holds.

A document stored by this calpae version is skipped, unless it failed (or is partial) and the run retries
failures; a second input with the same content is not processed again but named (it is a copy, never
a silent loss); files of other types are counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from calpae.batch.tasks import BatchSummary, InputItem, Task, name_sha

# sha256 -> (status, source, error) of a document stored by this calpae version
Stored = dict[str, tuple[str, str, str]]


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    summary: BatchSummary = field(default_factory=BatchSummary)  # skipped, earlier failures, copies, ignored


def plan(items: Iterable[InputItem], stored: Stored, retry_failed: bool = False) -> Plan:
    """Tasks still to do, in input order, and what the summary says about the rest."""
    out = Plan()
    s = out.summary
    first: dict[str, str] = {}  # sha -> the source that holds this content in this run
    for item in items:
        if item.ignored:
            s.ignored[PurePosixPath(item.source).suffix.lower() or "(no suffix)"] += 1
            continue
        sha = item.sha or name_sha(item.source)
        if sha in first:
            s.duplicates.append((item.source, first[sha], sha[:16]))
            continue
        first[sha] = item.source
        if sha in stored:
            status, source, error = stored[sha]
            if source and source != item.source and not item.problem:
                s.duplicates.append((item.source, source, sha[:16]))
            if status == "ok" or not retry_failed:
                s.skipped += 1
                if status != "ok":
                    s.earlier.append((item.source, status, error))
                continue
        out.tasks.append(Task(item, sha))
    return out
