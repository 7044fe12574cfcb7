"""Helpers shared by the benchmark scripts: corpus loading, label matching, metrics, tables, machine facts."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LABEL_SCORE = 85  # rapidfuzz ratio at or above which two normalised row labels are the same label

T = TypeVar("T")
P = TypeVar("P")


# --- corpus -------------------------------------------------------------------------------------------------


@dataclass
class TruthDoc:
    """One generated PDF and its ground truth."""

    pdf: Path
    truth: dict

    @property
    def layout(self) -> dict:
        return self.truth["document"].get("layout", {})

    @property
    def pages(self) -> int:
        return int(self.truth["document"].get("pages") or 0)


def load_corpus(folder: Path) -> list[TruthDoc]:
    """Every `<name>.truth.json` of a generated corpus with the PDF it describes, in name order."""
    docs = []
    for tpath in sorted(Path(folder).glob("*.truth.json")):
        truth = json.loads(tpath.read_text(encoding="utf-8"))
        pdf = tpath.parent / truth.get("file", tpath.name.replace(".truth.json", ".pdf"))
        if pdf.exists():
            docs.append(TruthDoc(pdf, truth))
    if not docs:
        raise SystemExit(f"{folder}: no *.truth.json with its PDF (build one with `python -m corpora build --out DIR`)")
    return docs


def copy_kind(layout: dict) -> str:
    """How the document reaches calpae: born-digital PDF, scan (image-only PDF) or text export (.txt)."""
    if layout.get("scan"):
        return "scan"
    return "text-export" if layout.get("text_export") else "born-digital"


def family_groups(doc: TruthDoc) -> list[str]:
    """The corpus family (generated: reportlab; office: LibreOffice-rendered DOCX/XLSX) alone and by copy kind."""
    family = doc.truth["document"].get("family", "generated")
    return [f"family={family}", f"{family}/{copy_kind(doc.layout)}"]


def layout_groups(layout: dict) -> list[str]:
    """The layout options a document is counted under: each option that is on, and each style's value."""
    groups = [copy_kind(layout)]
    for key, value in sorted(layout.items()):
        if key in ("scan", "text_export", "family"):
            continue
        if isinstance(value, bool):
            if value:
                groups.append(key)
        elif value is not None:
            groups.append(f"{key}={value}")
    return groups


# --- labels and matching --------------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^\s*(?:[0-9]+[.)]?\s*)+(?:[-–—]\s*)?")


def norm_label(text: str | None) -> str:
    """Lower case, no accents, no leading numbering, punctuation as spaces, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _NUMBERING.sub("", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def labels_match(a: str, b: str) -> bool:
    """Same row label: normalised equal, one containing the other, or rapidfuzz ratio ≥ LABEL_SCORE."""
    if not a or not b:
        return a == b
    return a in b or b in a or fuzz.ratio(a, b) >= LABEL_SCORE


def greedy_pairs(
    truth: list[T], preds: list[P], key: Callable[[object], object], ok: Callable[[T, P], bool]
) -> list[tuple[int, int]]:
    """One-to-one (truth index, prediction index) matches: same `key`, then `ok`, greedy in truth order."""
    buckets: dict[object, list[int]] = {}
    for i, p in enumerate(preds):
        buckets.setdefault(key(p), []).append(i)
    used: set[int] = set()
    pairs = []
    for ti, t in enumerate(truth):
        for i in buckets.get(key(t), ()):
            if i not in used and ok(t, preds[i]):
                used.add(i)
                pairs.append((ti, i))
                break
    return pairs


def greedy_match(truth: list[T], preds: list[P], key: Callable[[object], object], ok: Callable[[T, P], bool]) -> int:
    """How many one-to-one matches `greedy_pairs` finds."""
    return len(greedy_pairs(truth, preds, key, ok))


# --- metrics -------------------------------------------------------------------------------------------------


@dataclass
class Score:
    """Matched / predicted / expected counts, summable across documents."""

    hit: int = 0
    pred: int = 0
    true: int = 0

    def add(self, hit: int, pred: int, true: int) -> None:
        self.hit += hit
        self.pred += pred
        self.true += true

    def __iadd__(self, other: Score) -> Score:
        self.add(other.hit, other.pred, other.true)
        return self

    @property
    def precision(self) -> float | None:
        return self.hit / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.hit / self.true if self.true else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if r is None:
            return None
        if p is None:  # nothing predicted while something was expected
            return 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "matched": self.hit,
            "predicted": self.pred,
            "expected": self.true,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Group:
    """Scores of one layout group (or overall), keyed by metric name."""

    docs: int = 0
    pages: int = 0
    scores: dict[str, Score] = field(default_factory=dict)
    misses: Counter = field(default_factory=Counter)  # missed truth figures by fate (benchmarks/_misses.py)

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())


def fmt(value: float | None) -> str:
    return "  –  " if value is None else f"{value:.3f}"


def print_table(headers: list[str], rows: Iterable[list[object]]) -> None:
    """A plain fixed-width table (markdown-compatible pipes)."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + " |")


def to_jsonable(obj: object) -> object:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj


def write_json(path: str | None, payload: dict) -> None:
    if path:
        Path(path).write_text(json.dumps(to_jsonable(payload), indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"\nJSON written to {path}")


# --- machine ------------------------------------------------------------------------------------------------


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    """The facts BENCHMARKS.md records about the machine a run was made on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    libs = {
        d: _version(d)
        for d in ("calpae", "pdfplumber", "pdfminer.six", "pypdfium2", "camelot-py", "tabula-py", "rapidfuzz", "spacy")
    }
    return {
        "date": date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "libraries": {k: v for k, v in libs.items() if v},
    }
