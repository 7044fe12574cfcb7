"""Start-up costs, measured on whole processes (throughput.py --single, --nlp-load, --startup-corpus).

- One document: `calpae extract FILE` against a raw pdfplumber pass on the same file (a fresh Python process
  running extract_text() + extract_tables() on every page), each a whole process from launch to exit, the two
  interleaved (their order alternating) in each repeat, median wall time of the repeats. calpae runs with
  its cache folder in a temporary directory: one first run builds the tokenizer cache (timed, reported
  apart), the repeats use it; one run per file with CALPAE_NO_CACHE=1 shows the stock spaCy load.
- spaCy (--nlp-load): processes that only load the French pipeline, stock or through calpae.nlp, tagger only
  or with the parser, beside `spacy.blank("fr")` and a bare `import spacy`.
- Batch start-up: seconds from launching `calpae batch DIR --db NEW --workers N --quiet --ocr never` to the
  first worker holding one of the batch's files open (polled from /proc every 5 ms), then the run is stopped.
calpae's own modules are byte-compiled first (`compileall`, as `pip install` does for an installed package): with
PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise compile ~150 modules from source in every process
(~0.5 CPU s), which no installed calpae pays.
"""

from __future__ import annotations

import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common
from _common import print_table
from _procs import first_document

PY = sys.executable

RAW_PDFPLUMBER = """import sys
import pdfplumber
with pdfplumber.open(sys.argv[1]) as doc:
    for page in doc.pages:
        page.extract_text()
        page.extract_tables()
        page.flush_cache()
"""


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """One whole process: wall seconds, CPU seconds (user + system), exit code, 1-minute load before it."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=_common.ROOT)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"seconds": wall, "cpu": cpu, "rc": res.returncode, "load": load, "tail": res.stderr[-300:]}


def byte_compile() -> None:
    """Write calpae's .pyc files (see the module docstring)."""
    subprocess.run([PY, "-m", "compileall", "-q", str(_common.ROOT / "calpae")], check=True, stdout=subprocess.DEVNULL)


def _pages(path: Path) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(str(path)))


def single_document(files: list[Path], repeats: int = 5, nice: list[str] | None = None) -> dict:
    """calpae extract vs raw pdfplumber, whole processes, per file; medians of interleaved repeats."""
    nice = nice or []
    byte_compile()
    out: dict = {"repeats": repeats, "files": {}}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CALPAE_CACHE_DIR": f"{tmp}/cache"}

        def calpae(path: Path, run_env: dict[str, str]) -> dict:
            dest = tempfile.mkdtemp(dir=tmp)
            return _timed([*nice, PY, "-m", "calpae", "extract", str(path), "--out", dest, "--quiet"], run_env)

        def raw(path: Path) -> dict:
            return _timed([*nice, PY, "-c", RAW_PDFPLUMBER, str(path)])

        out["first_run"] = {"file": str(files[0]), **calpae(files[0], env)}  # the cache is built here
        for path in files:
            out["files"][str(path)] = {
                "pages": _pages(path),
                "no_cache": calpae(path, {**env, "CALPAE_NO_CACHE": "1"}),
                "runs": {"calpae": [], "pdfplumber": []},
            }
        for r in range(repeats):
            for path in files:
                runs = out["files"][str(path)]["runs"]
                order = ("pdfplumber", "calpae") if r % 2 == 0 else ("calpae", "pdfplumber")
                for mode in order:
                    res = raw(path) if mode == "pdfplumber" else calpae(path, env)
                    runs[mode].append(res)
                    print(
                        f"single {path.name} repeat {r + 1} {mode}: {res['seconds']:.2f} s "
                        f"(cpu {res['cpu']:.2f} s, load {res['load']:.1f}, rc {res['rc']})",
                        file=sys.stderr,
                        flush=True,
                    )
    for v in out["files"].values():
        c, p = v["runs"]["calpae"], v["runs"]["pdfplumber"]
        v["calpae_s"] = statistics.median(x["seconds"] for x in c)
        v["pdfplumber_s"] = statistics.median(x["seconds"] for x in p)
        v["calpae_cpu_s"] = statistics.median(x["cpu"] for x in c)
        v["pdfplumber_cpu_s"] = statistics.median(x["cpu"] for x in p)
        v["ratio"] = v["calpae_s"] / v["pdfplumber_s"]
        v["per_repeat_ratio"] = statistics.median(a["seconds"] / b["seconds"] for a, b in zip(c, p, strict=True))
        v["loads"] = [round(x["load"], 1) for x in c + p]
        v["rc"] = max(x["rc"] for x in c + p)
    return out


def print_single(res: dict) -> None:
    print(f"\nOne document, whole processes, median of {res['repeats']} interleaved repeats")
    rows = []
    for name, v in res["files"].items():
        rows.append(
            [
                Path(name).name,
                v["pages"],
                f"{v['pdfplumber_s']:.2f} ({v['pdfplumber_cpu_s']:.2f})",
                f"{v['calpae_s']:.2f} ({v['calpae_cpu_s']:.2f})",
                f"{v['ratio']:.2f} / {v['per_repeat_ratio']:.2f}",
                f"{v['no_cache']['seconds']:.2f}",
                f"{min(v['loads']):.1f}–{max(v['loads']):.1f}",
                v["rc"],
            ]
        )
    print_table(
        [
            "file",
            "pages",
            "raw pdfplumber s (cpu)",
            "calpae extract s (cpu)",
            "calpae/raw: medians / per repeat",
            "calpae CALPAE_NO_CACHE s",
            "load",
            "exit",
        ],
        rows,
    )
    first = res["first_run"]
    print(
        f"calpae's first run ever (empty cache folder: the tokenizer cache is built), {Path(first['file']).name}: "
        f"{first['seconds']:.2f} s (cpu {first['cpu']:.2f} s)"
    )


TAGGER_ONLY = ["parser", "ner", "lemmatizer", "attribute_ruler", "senter"]  # prose.nlp()
WITH_PARSER = ["ner", "lemmatizer", "senter"]  # prose.nlp(parser=True), what prose facts use
NLP_CASES = {
    "spacy.blank('fr')": "import spacy; spacy.blank('fr')",
    "tagger, stock spacy.load": f"import spacy; spacy.load('fr_core_news_sm', exclude={TAGGER_ONLY!r})",
    "tagger, calpae.nlp (cached)": f"from calpae.nlp import load_pipeline; load_pipeline(exclude={TAGGER_ONLY!r})",
    "tagger + parser, stock spacy.load": f"import spacy; spacy.load('fr_core_news_sm', exclude={WITH_PARSER!r})",
    "tagger + parser, calpae.nlp (cached)": (
        f"from calpae.nlp import load_pipeline; load_pipeline(exclude={WITH_PARSER!r})"
    ),
    "import spacy only": "import spacy",
}


def nlp_load(repeats: int = 5, nice: list[str] | None = None) -> dict:
    """Whole processes loading the French pipeline each way (cache built first), interleaved; medians."""
    nice = nice or []
    runs: dict[str, list[dict]] = {name: [] for name in NLP_CASES}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CALPAE_CACHE_DIR": tmp}
        first = _timed([*nice, PY, "-c", NLP_CASES["tagger, calpae.nlp (cached)"]], env)  # builds the cache
        for r in range(repeats):
            for name, code in NLP_CASES.items():
                runs[name].append(_timed([*nice, PY, "-c", code], env))
            print(f"nlp load repeat {r + 1} done", file=sys.stderr, flush=True)
    return {
        "repeats": repeats,
        "first_run": first,
        "cases": {
            name: {
                "seconds": statistics.median(x["seconds"] for x in rs),
                "cpu": statistics.median(x["cpu"] for x in rs),
                "loads": [round(x["load"], 1) for x in rs],
                "rc": max(x["rc"] for x in rs),
            }
            for name, rs in runs.items()
        },
    }


def print_nlp_load(res: dict) -> None:
    print(f"\nLoading spaCy's French pipeline, whole processes, median of {res['repeats']} interleaved repeats")
    print_table(
        ["process", "seconds", "cpu s", "load", "exit"],
        [
            [name, f"{v['seconds']:.2f}", f"{v['cpu']:.2f}", f"{min(v['loads']):.1f}–{max(v['loads']):.1f}", v["rc"]]
            for name, v in res["cases"].items()
        ],
    )
    print(f"first calpae.nlp load with an empty cache folder (writes it): {res['first_run']['seconds']:.2f} s")


def batch_startup(folder: Path, workers: list[int], repeats: int = 5, nice: list[str] | None = None) -> dict:
    """Seconds from `calpae batch` to its fork server, first worker and first document, per worker count."""
    nice = nice or []
    byte_compile()
    runs: dict[int, list[dict]] = {w: [] for w in workers}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeats):
            for w in workers:
                cmd = [*nice, PY, "-m", "calpae", "batch", str(folder), "--db", f"{tmp}/b{r}w{w}.duckdb"]
                cmd += ["--workers", str(w), "--quiet", "--ocr", "never"]
                load = os.getloadavg()[0]
                t0 = time.perf_counter()
                proc = subprocess.Popen(
                    cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=_common.ROOT, start_new_session=True
                )
                try:
                    seen = first_document(proc, folder, t0)
                finally:
                    if proc.poll() is None:
                        os.killpg(proc.pid, signal.SIGTERM)  # the batch's own process group (driver, fork server)
                    proc.wait()
                seen["load"] = load
                runs[w].append(seen)
                print(f"startup workers={w} repeat {r + 1}: {seen}", file=sys.stderr, flush=True)
    out: dict = {"repeats": repeats, "workers": {}}
    for w, rs in runs.items():
        out["workers"][w] = {
            key: statistics.median(x[key] for x in rs) if all(key in x for x in rs) else None
            for key in ("forkserver", "worker", "document")
        }
        out["workers"][w]["all_document"] = [round(x.get("document", float("nan")), 2) for x in rs]
        out["workers"][w]["loads"] = [round(x["load"], 1) for x in rs]
    return out


def print_startup(res: dict, folder: Path) -> None:
    print(f"\n`calpae batch {folder}`: seconds from the command, median of {res['repeats']} runs")
    print_table(
        ["workers", "fork server up", "first worker", "first document starts", "all runs", "load"],
        [
            [
                w,
                f"{v['forkserver']:.2f}" if v["forkserver"] is not None else "–",
                f"{v['worker']:.2f}" if v["worker"] is not None else "–",
                f"{v['document']:.2f}" if v["document"] is not None else "–",
                v["all_document"],
                f"{min(v['loads']):.1f}–{max(v['loads']):.1f}",
            ]
            for w, v in res["workers"].items()
        ],
    )
