"""Time of one document against its size: prose text of growing size and a page dense with numbers.

Every input is generated here (sentences of a rapport d'exécution's kind with counts, percentages and amounts,
wrapped in lines and paragraphs; a text "page" of N numbers in a table-less run; the same prose as HTML), and
each is extracted by `calpae.pipeline.extract_document` in a fresh subprocess (imports and the spaCy model
loaded before the clock). Linear scanning means the time per MB stays flat as the size grows. CPU seconds (the
process's own) are shown beside wall seconds because the machine is shared: they do not grow with others' load.

    nice -n 10 python benchmarks/scaling.py --sizes 125K,1M,5M --numbers 20000 [--one-paragraph 125K,500K]
        [--run-on 125K,500K] [--html] [--code OTHER_CHECKOUT] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common
from _common import machine, print_table, write_json

SENTENCES = (
    "En {y}, {n} jeunes ont été accompagnés par les équipes du service, soit {p} % des personnes orientées.",
    "Le montant engagé pour l'action s'élève à {a} €, dont {b} € au titre de la part de l'État.",
    "Au total {n} ménages ont bénéficié d'un accompagnement renforcé et {m} d'entre eux ont repris un emploi.",
    "La dépense réalisée atteint {a} euros pour {n} bénéficiaires suivis dans l'année.",
    "Le délai moyen d'orientation est passé à {d} jours ; {p} % des allocataires ont signé un contrat.",
    "Une enveloppe de {k} k€ a été votée par l'assemblée départementale le {dd} mars {y}.",
    "Les partenaires du territoire ont été réunis pour partager le diagnostic et fixer les priorités.",
    "Cette action vise à mieux repérer les personnes éloignées de l'emploi et à les orienter plus tôt.",
    "Le comité de suivi s'est tenu comme prévu et a validé la poursuite du dispositif.",
)


def _amount(rng: random.Random) -> str:
    return f"{rng.randint(1, 999)}.{rng.randint(0, 999):03d}"


def prose(size: int, seed: int = 7) -> str:
    """About `size` characters of wrapped prose in paragraphs of 3–8 sentences."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    section = 0
    while total < size:
        if rng.random() < 0.15:  # a numbered heading now and then: records are placed in sections
            section += 1
            out.append(f"{section // 10 + 1}.{section % 10 + 1}. Mesure numéro {section}\n\n")
        para = []
        for _ in range(rng.randint(3, 8)):
            para.append(
                rng.choice(SENTENCES).format(
                    y=rng.randint(2019, 2023),
                    n=rng.randint(2, 4000),
                    m=rng.randint(1, 900),
                    p=rng.randint(1, 99),
                    a=_amount(rng),
                    b=_amount(rng),
                    d=rng.randint(5, 60),
                    k=rng.randint(10, 900),
                    dd=rng.randint(1, 28),
                )
            )
        words = " ".join(para).split(" ")
        line, lines = "", []
        for w in words:
            if len(line) + len(w) > 90:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        block = "\n".join(lines) + "\n\n"
        out.append(block)
        total += len(block)
    return "".join(out)


def numbers_page(n: int, bare: bool = False, seed: int = 7) -> str:
    """One paragraph of n figures: counts, percentages and amounts with a word each, or bare grouped figures
    separated by spaces (a table flattened to text)."""
    rng = random.Random(seed)
    cells = []
    for i in range(n):
        if bare:
            cells.append(f"{rng.randint(1, 999)} {rng.randint(0, 999):03d}")
        elif i % 3 == 0:
            cells.append(f"{rng.randint(1, 9999)} jeunes")
        elif i % 3 == 1:
            cells.append(f"{rng.randint(1, 99)} %")
        else:
            cells.append(f"{_amount(rng)} €")
    lines = [" ".join(cells[i : i + 12]) for i in range(0, n, 12)]
    return "Résultats détaillés de l'année 2021.\n" + "\n".join(lines) + " €\n"


def one_paragraph(text: str) -> str:
    """The same prose without a blank line: one paragraph (the worst case for per-paragraph scanning)."""
    return "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def run_on(text: str) -> str:
    """The same prose as one paragraph of one sentence: sentence ends turned into commas (a run-on export)."""
    return one_paragraph(re.sub(r"([.;]) (?=\S)", ", ", text).replace(".\n", ",\n"))


def as_html(text: str) -> str:
    paras = [p.replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    return "<html><body>\n" + "\n".join(f"<p>{p}</p>" for p in paras) + "\n</body></html>\n"


RUNNER = (
    "import sys,time,json,resource;from pathlib import Path;"
    "import calpae,calpae.stages;from calpae.pipeline import extract_document;"
    "from calpae.indicators.prose import nlp;nlp();"
    "t=time.perf_counter();c=time.process_time();ext=extract_document(Path(sys.argv[1]));"
    "s=time.perf_counter()-t;c=time.process_time()-c;"
    "d=ext.document;print(json.dumps({'seconds':s,'cpu_seconds':c,'status':d.status,'errors':d.errors[:2],"
    "'code':calpae.__file__,"
    "'amounts':len(ext.amounts),'indicators':len(ext.indicator_values),"
    "'rss_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))"
)


def _code_first(code: Path | None) -> str:
    """Python that makes `import calpae` load the tree at `code` (another checkout, for a before/after run)."""
    if code is None:
        return ""
    return (
        "import sys;sys.meta_path=[f for f in sys.meta_path if 'editable' not in repr(f)];"
        f"sys.path.insert(0,{str(code.resolve())!r});"
    )


def measure(path: Path, timeout: float, code: Path | None = None) -> dict:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _code_first(code) + RUNNER, str(path)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "status": f"over {timeout:g} s", "wall": time.perf_counter() - started}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _size(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 1024, "M": 1024 * 1024}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * scale)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="125K,1M,5M", help="prose sizes (K, M suffixes)")
    ap.add_argument("--numbers", type=int, default=20000, help="figures on the dense page (0: none)")
    ap.add_argument("--html", action="store_true", help="also the largest prose size as HTML")
    ap.add_argument("--one-paragraph", default="", help="prose sizes also run without paragraph breaks (K, M)")
    ap.add_argument("--run-on", default="", help="prose sizes also run as one sentence without sentence ends (K, M)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is abandoned")
    ap.add_argument("--code", type=Path, default=None, help="run another checkout's calpae (e.g. main's, for before)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    rows, results = [], []
    with tempfile.TemporaryDirectory(prefix="calpae-scaling-") as tmp:
        inputs = []
        for label in args.sizes.split(","):
            path = Path(tmp) / f"prose-{label}.txt"
            path.write_text(prose(_size(label)), encoding="utf-8")
            inputs.append((f"prose {label} (.txt)", path))
        for label in filter(None, args.one_paragraph.split(",")):
            path = Path(tmp) / f"paragraph-{label}.txt"
            path.write_text(one_paragraph(prose(_size(label))), encoding="utf-8")
            inputs.append((f"prose {label}, one paragraph (.txt)", path))
        for label in filter(None, args.run_on.split(",")):
            path = Path(tmp) / f"runon-{label}.txt"
            path.write_text(run_on(prose(_size(label))), encoding="utf-8")
            inputs.append((f"prose {label}, one sentence (.txt)", path))
        if args.html:
            label = args.sizes.split(",")[-1]
            path = Path(tmp) / f"prose-{label}.html"
            path.write_text(as_html(prose(_size(label))), encoding="utf-8")
            inputs.append((f"prose {label} (.html)", path))
        if args.numbers:
            for bare in (False, True):
                path = Path(tmp) / f"numbers-{args.numbers}{'-bare' if bare else ''}.txt"
                path.write_text(numbers_page(args.numbers, bare), encoding="utf-8")
                kind = "bare grouped figures" if bare else "figures with units"
                inputs.append((f"{args.numbers} {kind}, one paragraph", path))
            path = Path(tmp) / f"numbers-{args.numbers}-line.txt"
            path.write_text(numbers_page(args.numbers).replace("\n", " ").strip() + "\n", encoding="utf-8")
            inputs.append((f"{args.numbers} figures with units, one line", path))
        for name, path in inputs:
            res = measure(path, args.timeout, args.code)
            size = path.stat().st_size
            res.update(input=name, bytes=size)
            results.append(res)
            secs = res["seconds"]
            rows.append(
                [
                    name,
                    f"{size / 1024:.0f} KB",
                    f"{secs:.2f}" if secs is not None else res["status"],
                    f"{res['cpu_seconds']:.2f}" if secs is not None else "",
                    f"{res['cpu_seconds'] / (size / 2**20):.2f}" if secs is not None else "",
                    str(res.get("amounts", "")),
                    str(res.get("indicators", "")),
                    f"{res.get('rss_mb', 0):.0f}",
                ]
            )
    headers = ["input", "size", "wall s", "CPU s", "CPU s per MB", "amounts", "indicator values", "peak RSS MB"]
    print_table(headers, rows)
    if args.json:
        write_json(args.json, {"machine": machine(), "results": results})


if __name__ == "__main__":
    _ = _common
    main()
