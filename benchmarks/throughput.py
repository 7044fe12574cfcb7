"""Throughput of calpae (pages/s, peak memory) beside raw pdfplumber and pypdfium2 passes, and `calpae batch` scaling.

Run by hand, never as a test:
    python benchmarks/throughput.py --corpus DIR [--repeats 3] [--batch-corpus DIR --scales 1,4,16] [--json PATH]
    python benchmarks/throughput.py --single PDF... [--single-repeats 5] [--nlp-load] [--startup-corpus DIR] [--nice 0]

Single-process passes (one fresh subprocess per pass, imports done before the clock starts, passes interleaved
pypdfium2 → pdfplumber → calpae in each repeat so that load on a shared machine hits all three alike; medians of
the repeats, and the median of the per-repeat ratios):
- pypdfium2: get_textpage().get_text_range() on every page;
- pdfplumber: extract_text() + extract_tables() on every page (page cache flushed);
- calpae: calpae.pipeline.extract_document on every PDF (read, classify, budget, indicators, audit).
Peak memory is the subprocess's ru_maxrss (whole process, imports included) and tracemalloc's Python peak;
tracemalloc slows the Python-heavy passes, so --no-trace times them without it (Python peak then reads 0).

One document, spaCy's load and batch start-up (--single, --nlp-load, --startup-corpus): whole processes, see
benchmarks/startup.py.

Batch (`calpae batch DIR --db NEW --workers N --quiet --ocr never` in a subprocess (niced: --nice), a fresh database
each run): median wall time of --batch-repeats interleaved runs for 1 and 2 workers on the born-digital PDFs of the
batch corpus, the ratio, and ru_maxrss of the largest child process (the driver or a worker); then the time
for the corpus copied k times (--scales) with 2 workers. Copies get distinct contents by appending a PDF
comment after %%EOF (same pages, new sha256), so the batch does not skip them as already processed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common
import startup
from _common import machine, print_table, write_json
from _procs import sample_memory

PY = sys.executable
NICE = ["nice", "-n", "5"]  # prefix of every measured subprocess (--nice sets it; --nice 0: none)
MODES = ("pypdfium2", "pdfplumber", "calpae")


def born_digital(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*.pdf") if not p.name.endswith(".scan.pdf"))


# --- one pass, inside a subprocess -----------------------------------------------------------------------------


def _pass(mode: str, files: list[Path], trace: bool = True) -> dict:
    import logging
    import tracemalloc

    logging.disable(logging.WARNING)
    if mode == "pypdfium2":
        import pypdfium2 as pdfium

        def one(path: Path) -> int:
            doc = pdfium.PdfDocument(str(path))
            n = len(doc)
            for i in range(n):
                page = doc[i]
                tp = page.get_textpage()
                tp.get_text_range()
                tp.close()
                page.close()
            doc.close()
            return n
    elif mode == "pdfplumber":
        import pdfplumber

        def one(path: Path) -> int:
            with pdfplumber.open(path) as doc:
                for page in doc.pages:
                    page.extract_text()
                    page.extract_tables()
                    page.flush_cache()
                return len(doc.pages)
    else:
        import calpae.stages  # noqa: F401  (stage imports, spaCy model loads happen here, before the clock)
        from calpae.pipeline import extract_document

        extract_document(files[0])  # warm-up: lazy loads (models, referential) outside the clock

        def one(path: Path) -> int:
            ext = extract_document(path)
            return ext.document.page_count or 0

    if trace:  # tracemalloc slows Python-heavy passes (pdfplumber, calpae) noticeably; --no-trace times without it
        tracemalloc.start()
    t0 = time.perf_counter()
    pages = sum(one(p) for p in files)
    secs = time.perf_counter() - t0
    py_peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "mode": mode,
        "pages": pages,
        "seconds": secs,
        "pages_per_s": pages / secs if secs else None,
        "rss_peak_mb": rss / 2**20,
        "python_peak_mb": py_peak / 2**20,
    }


def run_pass(mode: str, files: list[Path], trace: bool = True) -> dict:
    """One pass in a fresh, niced subprocess; its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(map(str, files)))
    try:
        out = subprocess.run(
            [*NICE, PY, __file__, "--_pass", mode, "--_files", fh.name, *([] if trace else ["--no-trace"])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    return json.loads(out.strip().splitlines()[-1])


# --- batch ----------------------------------------------------------------------------------------------------


def scaled_copy(files: list[Path], k: int, dest: Path) -> list[Path]:
    """k copies of every file with distinct contents (a trailing PDF comment), in dest."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for copy in range(k):
        for f in files:
            target = dest / f"{f.stem}.c{copy}.pdf"
            shutil.copyfile(f, target)
            if copy:
                with open(target, "ab") as fh:
                    fh.write(f"\n%calpae-benchmark-copy {copy}\n".encode())
            out.append(target)
    return out


def run_batch(folder: Path, workers: int, ocr: str = "never", memory_log: bool = False) -> dict:
    """`calpae batch` on a folder into a new database; wall time, the largest child's peak RSS, and with
    memory_log the per-process-role peaks sampled from /proc."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            *NICE,
            PY,
            "-m",
            "calpae",
            "batch",
            str(folder),
            "--db",
            f"{tmp}/b.duckdb",
            "--workers",
            str(workers),
            "--quiet",
            "--ocr",
            ocr,
        ]
        if memory_log and Path("/proc/self/status").exists():
            load = os.getloadavg()
            t = time.perf_counter()
            with tempfile.TemporaryFile("w+") as log:
                proc = subprocess.Popen(cmd, stdout=log, stderr=log, text=True, cwd=_common.ROOT)
                mem = sample_memory(proc)
                seconds = time.perf_counter() - t
                log.seek(0)
                tail = log.read()[-600:]
            return {
                "rc": proc.returncode,
                "seconds": seconds,
                "child_rss_mb": max(mem["peak_mb"].values()),
                "memory": mem,
                "load_before": [round(x, 2) for x in load],
                "load_after": [round(x, 2) for x in os.getloadavg()],
                "tail": tail,
            }
        script = (
            "import resource,subprocess,sys,time,json;t=time.perf_counter();"
            "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
            "s=time.perf_counter()-t;"
            "print(json.dumps({'rc':r.returncode,'seconds':s,"
            "'child_rss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,"
            "'tail':r.stdout[-300:]+r.stderr[-300:]}))"
        )
        res = subprocess.run([PY, "-c", script, *cmd], capture_output=True, text=True, check=True, cwd=_common.ROOT)
        return json.loads(res.stdout.strip().splitlines()[-1])


# --- main -----------------------------------------------------------------------------------------------------


def passes(files: list[Path], repeats: int, trace: bool = True) -> dict:
    pages_total = None
    runs: dict[str, list[dict]] = {m: [] for m in MODES}
    for r in range(repeats):
        for mode in MODES:
            res = run_pass(mode, files, trace)
            runs[mode].append(res)
            pages_total = res["pages"]
            print(
                f"repeat {r + 1} {mode}: {res['pages_per_s']:.2f} pages/s, rss {res['rss_peak_mb']:.0f} MB",
                file=sys.stderr,
                flush=True,
            )
    med = {
        m: {
            "pages_per_s": statistics.median(x["pages_per_s"] for x in rs),
            "seconds": statistics.median(x["seconds"] for x in rs),
            "rss_peak_mb": max(x["rss_peak_mb"] for x in rs),
            "python_peak_mb": max(x["python_peak_mb"] for x in rs),
            "all_pages_per_s": [round(x["pages_per_s"], 3) for x in rs],
        }
        for m, rs in runs.items()
    }
    ratios = {
        f"calpae/{m}": statistics.median(
            c["pages_per_s"] / o["pages_per_s"] for c, o in zip(runs["calpae"], runs[m], strict=False)
        )
        for m in ("pdfplumber", "pypdfium2")
    }
    return {"documents": len(files), "pages": pages_total, "repeats": repeats, "modes": med, "ratios": ratios}


def batches(
    folder: Path,
    scales: list[int],
    workers_list: list[int],
    repeats: int = 2,
    ocr: str = "never",
    memory_log: bool = False,
    scale_workers: list[int] = (2,),
) -> dict:
    """Interleaved `calpae batch` runs per worker count (median wall time), then the growth with 2 workers."""
    base = born_digital(folder)
    out: dict = {"documents": len(base)}
    with tempfile.TemporaryDirectory() as tmp:
        one = scaled_copy(base, 1, Path(tmp) / "x1")
        import pypdfium2

        out["pages"] = sum(len(pypdfium2.PdfDocument(str(p))) for p in one)
        runs: dict[int, list[dict]] = {w: [] for w in workers_list}
        for r in range(repeats):
            for w in workers_list:
                res = run_batch(Path(tmp) / "x1", w, ocr, memory_log)
                runs[w].append(res)
                print(
                    f"batch x1 repeat {r + 1} workers={w}: {res['seconds']:.1f} s rc={res['rc']}"
                    + (f" load {res['load_before']} memory {res['memory']['peak_mb']}" if memory_log else ""),
                    file=sys.stderr,
                    flush=True,
                )
        out["workers"] = {}
        for w, rs in runs.items():
            secs = statistics.median(x["seconds"] for x in rs)
            out["workers"][w] = {
                "seconds": secs,
                "pages_per_s": out["pages"] / secs,
                "all_seconds": [round(x["seconds"], 1) for x in rs],
                "child_rss_mb": max(x["child_rss_mb"] for x in rs),
                "rc": max(x["rc"] for x in rs),
                "tail": rs[-1]["tail"],
                "memory": [x.get("memory") for x in rs],
                "load": [x.get("load_before") for x in rs],
            }
        if 1 in out["workers"] and 2 in out["workers"]:
            out["ratio_2_over_1"] = out["workers"][1]["seconds"] / out["workers"][2]["seconds"]
        out["scales"] = {}
        for k in scales:
            if k == 1 and 2 in out["workers"]:
                out["scales"][k] = {"seconds": out["workers"][2]["seconds"], "pages": out["pages"]}
                continue
            folder_k = Path(tmp) / f"x{k}"
            scaled_copy(base, k, folder_k)
            for w in scale_workers:  # interleaved when several worker counts are asked for
                res = run_batch(folder_k, w, ocr, memory_log)
                key = k if w == 2 and len(scale_workers) == 1 else f"{k}w{w}"
                out["scales"][key] = {
                    "seconds": res["seconds"],
                    "pages": out["pages"] * k,
                    "rc": res["rc"],
                    "workers": w,
                    "child_rss_mb": res["child_rss_mb"],
                    "memory": res.get("memory"),
                    "load": res.get("load_before"),
                }
                print(
                    f"batch x{k} workers={w}: {res['seconds']:.1f} s"
                    + (f" load {res['load_before']} memory {res['memory']['peak_mb']}" if memory_log else ""),
                    file=sys.stderr,
                    flush=True,
                )
            shutil.rmtree(folder_k)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="corpus for the single-process passes")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-corpus", type=Path, default=None, help="corpus for calpae batch (≥ 2 000 pages)")
    ap.add_argument("--scales", default="1,4,16", help="copies of the batch corpus for the growth figures")
    ap.add_argument("--batch-workers", default="1,2", help="worker counts to time on the 1× batch corpus")
    ap.add_argument("--batch-repeats", type=int, default=2, help="interleaved runs per worker count (median)")
    ap.add_argument("--batch-ocr", default="never", choices=["auto", "always", "never"], help="calpae batch --ocr")
    ap.add_argument(
        "--memory-log",
        action="store_true",
        help="sample RSS of driver, fork server and workers from /proc during each batch run",
    )
    ap.add_argument("--scale-workers", default="2", help="worker counts for the scaled runs (e.g. 1,2)")
    ap.add_argument("--no-trace", action="store_true", help="time the passes without tracemalloc (no Python peak)")
    ap.add_argument("--single", nargs="+", type=Path, default=None, help="PDFs for the one-document case")
    ap.add_argument("--single-repeats", type=int, default=5, help="interleaved repeats of the one-document case")
    ap.add_argument("--nlp-load", action="store_true", help="time loading spaCy's French pipeline each way")
    ap.add_argument("--startup-corpus", type=Path, default=None, help="batch corpus for the start-up time")
    ap.add_argument("--startup-workers", default="1,2", help="worker counts for the start-up time")
    ap.add_argument("--startup-repeats", type=int, default=5)
    ap.add_argument("--nice", type=int, default=5, help="niceness of the measured processes (0: not niced)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--_pass", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_files", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._pass:
        files = [Path(p) for p in Path(args._files).read_text().splitlines() if p]
        print(json.dumps(_pass(args._pass, files, not args.no_trace)))
        return 0
    payload: dict = {"machine": machine(), "command": " ".join(sys.argv), "load_at_start": os.getloadavg()}
    NICE[:] = ["nice", "-n", str(args.nice)] if args.nice else []
    startup.byte_compile()  # whole processes import calpae as an installed copy would (benchmarks/startup.py)
    if args.single:
        payload["single"] = startup.single_document(args.single, args.single_repeats, NICE)
        startup.print_single(payload["single"])
    if args.nlp_load:
        payload["nlp_load"] = startup.nlp_load(args.single_repeats, NICE)
        startup.print_nlp_load(payload["nlp_load"])
    if args.startup_corpus:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "x1"
            scaled_copy(born_digital(args.startup_corpus), 1, folder)  # born-digital PDFs only, as the batch runs
            workers = [int(w) for w in args.startup_workers.split(",") if w]
            payload["startup"] = startup.batch_startup(folder, workers, args.startup_repeats, NICE)
        startup.print_startup(payload["startup"], args.startup_corpus)
    if args.corpus:
        res = passes(born_digital(args.corpus), args.repeats, not args.no_trace)
        payload["passes"] = res
        print(
            f"\nSingle-process passes on {args.corpus}: {res['documents']} born-digital PDFs, {res['pages']} pages, "
            f"median of {res['repeats']} interleaved repeats"
        )
        print_table(
            ["pass", "pages/s (median)", "all repeats", "seconds", "peak RSS MB", "Python peak MB"],
            [
                [
                    m,
                    f"{v['pages_per_s']:.2f}",
                    v["all_pages_per_s"],
                    f"{v['seconds']:.1f}",
                    f"{v['rss_peak_mb']:.0f}",
                    f"{v['python_peak_mb']:.0f}",
                ]
                for m, v in res["modes"].items()
            ],
        )
        for k, v in res["ratios"].items():
            print(f"{k} speed ratio (median of per-repeat ratios): {v:.2f}")
    if args.batch_corpus:
        scales = [int(s) for s in args.scales.split(",") if s]
        workers = [int(w) for w in args.batch_workers.split(",") if w]
        res = batches(
            args.batch_corpus,
            scales,
            workers,
            args.batch_repeats,
            args.batch_ocr,
            args.memory_log,
            [int(w) for w in args.scale_workers.split(",") if w],
        )
        payload["batch"] = res
        print(f"\ncalpae batch on {args.batch_corpus}: {res['documents']} PDFs, {res['pages']} pages")
        print_table(
            ["workers", "seconds (median)", "all runs", "pages/s", "largest process peak RSS MB", "exit"],
            [
                [
                    w,
                    f"{v['seconds']:.1f}",
                    v["all_seconds"],
                    f"{v['pages_per_s']:.2f}",
                    f"{v['child_rss_mb']:.0f}",
                    v["rc"],
                ]
                for w, v in res["workers"].items()
            ],
        )
        if "ratio_2_over_1" in res:
            print(f"throughput 2 workers / 1 worker: {res['ratio_2_over_1']:.2f}")
        base = res["scales"].get(1, {}).get("seconds")
        print_table(
            ["scale", "pages", "workers", "seconds", "time / 1× time (2 workers)", "peak MB by role"],
            [
                [
                    f"{k}×",
                    v["pages"],
                    v.get("workers", 2),
                    f"{v['seconds']:.1f}",
                    f"{v['seconds'] / base:.2f}" if base and v.get("workers", 2) == 2 else "–",
                    (v.get("memory") or {}).get("peak_mb", "–"),
                ]
                for k, v in res["scales"].items()
            ],
        )
    write_json(args.json, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
