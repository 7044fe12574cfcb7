"""Build a corpus: for each département and year, the convention/avenant, report, deliberation and annexe 10."""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpora.compose import new_ctx
from corpora.facts import write_national
from corpora.layout import Layout
from corpora.names import departements
from corpora.others import build_annexe10, build_convention, build_deliberation
from corpora.plan import Plan, make_plan
from corpora.report import build_report
from corpora.scan import scan_pdf
from corpora.truth import dumps

LAYOUT_OPTIONS = (
    "ruled",
    "borderless",
    "wrap",
    "split",
    "landscape",
    "rotated",
    "stamps",
    "running",
    "fonts",
    "styles",
    "scan",
)
AMOUNT_STYLES = ("dot_dec", "space", "dot", "nbsp", "space_dec")
DOC_TYPES = ("convention", "rapport_execution", "deliberation", "tableau_financier")
SCAN_MODES = ("none", "some", "all")
# the defect drawn into a scanned copy of a document that has none: a wrong sub-total in its financial table
PLANT_ON_SCAN = {"tableau_financier": "total_mismatch", "convention": "total_mismatch"}


@dataclass
class BuildResult:
    """What a build wrote."""

    pdfs: list[Path] = field(default_factory=list)
    truths: list[Path] = field(default_factory=list)
    unprinted: dict[str, list[str]] = field(default_factory=dict)  # PDF name → truth cells its pages do not print
    left_out: dict[str, list[str]] = field(default_factory=dict)  # PDF name → rows no page prints, left out of truth


def parse_years(text: str) -> list[int]:
    """'2019-2022' or '2019,2021' or '2020' -> sorted list of years."""
    years: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = (int(p) for p in part.split("-", 1))
            years.update(range(lo, hi + 1))
        elif part:
            years.add(int(part))
    if not years or min(years) < 2019 or max(years) > 2022:
        raise ValueError(f"years must lie within 2019-2022, got {text!r}")
    return sorted(years)


def choose_layout(k: int, doc_type: str, enabled: set[str]) -> Layout:
    """The layout of the k-th document, cycling options so a small corpus holds every one of them.

    `j` shifts by one at every département-year, so each document type meets each option.
    """
    j = k // len(DOC_TYPES) + k % len(DOC_TYPES)
    styles = [s for s in ("ruled", "borderless") if s in enabled] or ["ruled"]
    fonts = ("helvetica", "times")
    body = fonts[j % 2] if "fonts" in enabled else "helvetica"
    heading = fonts[(j + 1) % 2] if "fonts" in enabled else body
    amount = AMOUNT_STYLES[j % len(AMOUNT_STYLES)] if "styles" in enabled else "dot_dec"
    if doc_type == "convention" and "styles" in enabled and j % 3 != 2:
        amount = "keur"
    return Layout(
        table_style=styles[(j // 2) % len(styles)],
        wrap_labels="wrap" in enabled and j % 3 != 0,
        split_tables="split" in enabled and doc_type == "rapport_execution" and (k // len(DOC_TYPES)) % 2 == 0,
        landscape="landscape" in enabled and (doc_type == "tableau_financier" or j % 3 == 0),
        rotated_headers="rotated" in enabled and j % 2 == 0,
        stamps="stamps" in enabled and j % 5 != 4,
        running="running" in enabled and j % 4 != 3,
        body_font=body,
        heading_font=heading,
        amount_style=amount,
        dash_zero="styles" in enabled and j % 2 == 1,
        columns_orientation=(k // len(DOC_TYPES)) % 2 == 1,
    )


BUILDERS: dict[str, Callable] = {
    "convention": build_convention,
    "rapport_execution": build_report,
    "deliberation": build_deliberation,
    "tableau_financier": build_annexe10,
}


def pick_departements(count: int, seed: int, codes: Iterable[str] | None = None):
    """`count` départements drawn with the seed (or the given codes), in code order."""
    pool = list(departements())
    if codes:
        wanted = set(codes)
        chosen = [d for d in pool if d.code in wanted]
        missing = wanted - {d.code for d in chosen}
        if missing:
            raise ValueError(f"unknown département code(s): {', '.join(sorted(missing))}")
        return chosen
    if not 1 <= count <= len(pool):
        raise ValueError(f"--departements must be between 1 and {len(pool)}")
    return sorted(random.Random(f"{seed}-departements").sample(pool, count), key=lambda d: d.code.zfill(3))


def build_corpus(
    out: Path,
    departements_count: int = 3,
    years: list[int] | None = None,
    seed: int = 1,
    layouts: Iterable[str] = LAYOUT_OPTIONS,
    scan: str = "some",
    codes: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Write every PDF and its `.truth.json` into `out`, and the corpus's national facts; deterministic for a seed."""
    years = years or [2019, 2020, 2021]
    enabled = set(layouts)
    unknown = enabled - set(LAYOUT_OPTIONS)
    if unknown:
        raise ValueError(f"unknown layout option(s): {', '.join(sorted(unknown))}")
    if scan not in SCAN_MODES:
        raise ValueError(f"--scan must be one of {', '.join(SCAN_MODES)}")
    if "scan" not in enabled:
        scan = "none"
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult()
    k = 0
    for index, dept in enumerate(pick_departements(departements_count, seed, codes)):
        plan = make_plan(dept, years, seed, index)
        for year in years:
            for doc_type in DOC_TYPES:
                layout = choose_layout(k, doc_type, enabled)
                k += 1
                pdf = _build_one(plan, year, doc_type, layout, out, result)
                if progress:
                    progress(pdf.name)
                if scan == "all" or (
                    scan == "some" and index == 0 and year == years[0] and doc_type == "tableau_financier"
                ):
                    _scan_one(pdf, plan, year, doc_type, layout, out, result)
    write_national(out, result.truths)
    return result


def _build_one(plan: Plan, year: int, doc_type: str, layout: Layout, out: Path, result: BuildResult) -> Path:
    real_type = "avenant" if doc_type == "convention" and year != plan.years[0] else doc_type
    name = f"{plan.dept.actes_code}-{year}-{real_type}"
    ctx = new_ctx(plan, year, real_type, layout, f"{name}.pdf")
    pdf = out / f"{name}.pdf"
    BUILDERS[doc_type](ctx, pdf)
    truth_path = out / f"{name}.truth.json"
    ctx.truth.write(truth_path)
    result.pdfs.append(pdf)
    result.truths.append(truth_path)
    return pdf


def _scan_one(pdf: Path, plan: Plan, year: int, doc_type: str, layout: Layout, out: Path, result: BuildResult) -> None:
    """A scanned copy. One of a document that carries no defect but has a financial table is drawn again with a
    wrong total planted first, so the scans hold a genuine document error (reported as an error, not as an OCR
    doubt) for the benchmark to count; the born-digital PDF is unchanged."""
    stem = pdf.name[: -len(".pdf")]
    target = out / f"{stem}.scan.pdf"
    truth = json.loads((out / f"{stem}.truth.json").read_text(encoding="utf-8"))
    planted = not truth["defects"] and doc_type in PLANT_ON_SCAN
    with tempfile.TemporaryDirectory(prefix="calpae-scan-") as tmp:
        source = pdf
        if planted:
            variant = BuildResult()
            defects = {**plan.defects, (year, doc_type): PLANT_ON_SCAN[doc_type]}
            source = _build_one(replace(plan, defects=defects), year, doc_type, layout, Path(tmp), variant)
            truth = json.loads(variant.truths[0].read_text(encoding="utf-8"))
        info = scan_pdf(source, target, f"{plan.seed}-{stem}")
    truth["file"] = target.name
    truth["document"]["layout"]["scan"] = True
    truth["document"]["scan"] = {**info, "born_digital_source": pdf.name, "planted_for_scan": planted}
    truth_path = out / f"{stem}.scan.truth.json"
    truth_path.write_text(dumps(truth), encoding="utf-8")
    result.pdfs.append(target)
    result.truths.append(truth_path)
