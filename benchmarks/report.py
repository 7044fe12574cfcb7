"""Time and size of `calpae report` beside the `calpae batch` that made its database.

Run by hand, never as a test:
    nice -n 10 python benchmarks/report.py --corpus corpora/samples [--repeats 2] [--workers 2] [--json PATH]

Each repeat runs, in subprocesses, `calpae batch CORPUS --db NEW --workers N --quiet` into a fresh folder, then
`calpae report RUN --quiet` on it; wall times are medians of the repeats, the ratio is the median of the per-repeat
report/batch ratios (the issue asks for < 2), and the size is the whole report folder (pages, images, CSS) with
its image count. The 1-minute load average before each repeat is recorded: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, print_table, write_json

CALPAE = [sys.executable, "-m", "calpae.cli"]


def _timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def one_repeat(corpus: Path, workers: int, scratch: Path) -> dict:
    run = scratch / "run"
    shutil.rmtree(run, ignore_errors=True)
    load = os.getloadavg()[0]
    batch = _timed([*CALPAE, "batch", str(corpus), "--db", str(run / "calpae.duckdb"), "--workers", str(workers), "-q"])
    report = _timed([*CALPAE, "report", str(run), "--quiet"])
    files = [p for p in (run / "report").rglob("*") if p.is_file()]
    return dict(
        load=load,
        batch_s=batch,
        report_s=report,
        ratio=report / batch,
        size_mb=sum(p.stat().st_size for p in files) / 1e6,
        html_pages=sum(1 for p in files if p.suffix == ".html"),
        images=sum(1 for p in files if p.parent.name == "img"),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="corpora/samples")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    docs = sum(1 for p in corpus.rglob("*") if p.suffix.lower() in (".pdf", ".txt", ".md", ".html", ".htm"))
    with tempfile.TemporaryDirectory(prefix="calpae-report-bench-") as tmp:
        runs = [one_repeat(corpus, args.workers, Path(tmp)) for _ in range(args.repeats)]
    print_table(
        ["repeat", "load", "batch s", "report s", "report / batch", "size MB", "HTML pages", "images"],
        [
            [
                i + 1,
                f"{r['load']:.1f}",
                f"{r['batch_s']:.1f}",
                f"{r['report_s']:.1f}",
                f"{r['ratio']:.2f}",
                f"{r['size_mb']:.1f}",
                r["html_pages"],
                r["images"],
            ]
            for i, r in enumerate(runs)
        ],
    )
    med = {k: statistics.median(r[k] for r in runs) for k in ("batch_s", "report_s", "ratio", "size_mb")}
    print(
        f"\n{docs} documents: batch {med['batch_s']:.1f} s, report {med['report_s']:.1f} s "
        f"(median ratio {med['ratio']:.2f}), report {med['size_mb']:.1f} MB"
    )
    write_json(args.json, {"machine": machine(), "corpus": str(corpus), "documents": docs, "runs": runs, **med})
    return 0


if __name__ == "__main__":
    sys.exit(main())
