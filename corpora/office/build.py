"""Build the office family: compose every document, write DOCX/XLSX, render them all with LibreOffice (one run
per kind), read each row's page back from the PDF, then make the text exports and the scans."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from corpora.build import DOC_TYPES, BuildResult, pick_departements
from corpora.office import render
from corpora.office.acts import build_office_annexe10, build_office_convention, build_office_deliberation
from corpora.office.context import OfficeCtx, new_office_ctx
from corpora.office.docx_kit import write_docx
from corpora.office.layout import OfficeLayout, choose_office_layout
from corpora.office.printed import page_texts, unprinted, unprinted_rows
from corpora.office.report import build_office_report
from corpora.office.xlsx_kit import write_xlsx
from corpora.plan import Plan, make_plan
from corpora.scan import scan_pdf
from corpora.truth import dumps

COPY_MODES = ("none", "some", "all")
SCAN_DPI = (150, 200)  # scans alternate between these resolutions
PLANTED_ON_SCANS = "total_mismatch"  # a wrong printed total, planted in a scanned copy that carries no defect

BUILDERS: dict[str, Callable[[OfficeCtx], None]] = {
    "convention": build_office_convention,
    "rapport_execution": build_office_report,
    "deliberation": build_office_deliberation,
    "tableau_financier": build_office_annexe10,
}


@dataclass
class Pending:
    """A composed document waiting for LibreOffice."""

    ctx: OfficeCtx
    stem: str
    source: Path
    title: str
    header: str


def build_office_corpus(
    out: Path,
    departements_count: int = 2,
    years: list[int] | None = None,
    seed: int = 1,
    scan: str = "some",
    text: str = "some",
    codes: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Write every office PDF (and text export, scan) with its `.truth.json` into `out`; deterministic per seed
    (the truth and the text are; PDF bytes carry LibreOffice's creation date)."""
    years = years or [2019, 2020, 2021]
    if scan not in COPY_MODES or text not in COPY_MODES:
        raise ValueError(f"--scan and --text must be one of {', '.join(COPY_MODES)}")
    if render.soffice() is None:
        raise ValueError(render.INSTALL_HINT)
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult()
    with tempfile.TemporaryDirectory(prefix="calpae-office-") as tmp:
        work = Path(tmp)
        pending: list[Pending] = []
        scans: list[tuple[Pending, Plan]] = []
        k = 0
        for index, dept in enumerate(pick_departements(departements_count, seed, codes)):
            plan = make_plan(dept, years, seed, index)
            for year in years:
                for doc_type in DOC_TYPES:
                    layout = choose_office_layout(k, doc_type, seed)
                    k += 1
                    item = _compose(plan, year, doc_type, layout, work)
                    pending.append(item)
                    if _wanted(scan, index, year, years, doc_type):
                        scans.append((item, plan))
        _render_all(pending, work, out)
        for item in pending:
            pdf = out / f"{item.stem}.pdf"
            _finish(item, pdf, out, result)
            if progress:
                progress(pdf.name)
            if _wanted_text(text, item):
                _text_copy(item, pdf, out, result)
        _scan_copies(scans, work, out, result, progress)
    return result


def _wanted(mode: str, index: int, year: int, years: list[int], doc_type: str) -> bool:
    """Scanned copies under `some`: the first département's first annexe 10 and second act, the second's last report."""
    if mode == "all":
        return True
    if mode == "none":
        return False
    if index == 0:
        return (doc_type == "tableau_financier" and year == years[0]) or (
            doc_type == "convention" and year == years[min(1, len(years) - 1)]
        )
    return index == 1 and doc_type == "rapport_execution" and year == years[-1]


def _wanted_text(mode: str, item: Pending) -> bool:
    """Text exports under `some`: every report of a first year, and every deliberation and annexe 10 of a last year."""
    if mode in ("all", "none"):
        return mode == "all"
    ctx = item.ctx
    if ctx.doc_type == "rapport_execution":
        return ctx.year == ctx.plan.years[0]
    return ctx.doc_type in ("deliberation", "tableau_financier") and ctx.year == ctx.plan.years[-1]


def _compose(plan: Plan, year: int, doc_type: str, layout: OfficeLayout, work: Path) -> Pending:
    real_type = "avenant" if doc_type == "convention" and year != plan.years[0] else doc_type
    stem = f"{plan.dept.actes_code}-{year}-{real_type}"
    return _compose_as(plan, year, doc_type, real_type, layout, work, stem)


def _compose_as(
    plan: Plan, year: int, doc_type: str, real_type: str, layout: OfficeLayout, work: Path, stem: str
) -> Pending:
    ctx = new_office_ctx(plan, year, real_type, layout, f"{stem}.pdf")
    BUILDERS[doc_type](ctx)
    title = {
        "convention": f"Convention d'appui à la lutte contre la pauvreté {year} – {plan.dept.name}",
        "avenant": f"Avenant {year} à la convention d'appui à la lutte contre la pauvreté – {plan.dept.name}",
        "rapport_execution": f"Rapport d'exécution {year} – Département {plan.dept.name}",
        "deliberation": f"Délibération – rapport d'exécution {year}",
        "tableau_financier": f"Tableau financier récapitulatif {year} – {plan.dept.name}",
    }[real_type]
    header = f"Département {plan.dept.name} – {title.split(' – ')[0].lower()}"
    footer = "Convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi"
    stamp = ctx.stamp.lines()
    if layout.source == "xlsx":
        source = work / f"{stem}.xlsx"
        write_xlsx(source, ctx.story, layout, header, footer, stamp)
    else:
        source = work / f"{stem}.docx"
        write_docx(source, ctx.story, layout, header, footer, stamp, title)
    return Pending(ctx, stem, source, title, header)


def _render_all(pending: list[Pending], work: Path, out: Path) -> None:
    for kind in ("docx", "xlsx"):
        sources = [p.source for p in pending if p.source.suffix == f".{kind}"]
        render.convert(sources, work, kind)
    for p in pending:
        (work / f"{p.stem}.pdf").replace(out / f"{p.stem}.pdf")


def _finish(item: Pending, pdf: Path, out: Path, result: BuildResult) -> None:
    """Pages from the row marks, checked complete; notes stripped; truth written."""
    ctx = item.ctx
    if item.source.suffix == ".xlsx":
        marks = render.note_marks(pdf)
        render.strip_annotations(pdf)
    else:
        marks = render.named_destinations(pdf)
    ctx.truth.pages = {k: v for k, v in marks.items() if k.startswith(("t", "p"))}
    ctx.truth.resolve_pages(render.page_count(pdf))
    ctx.truth.document["title"] = item.title
    ctx.truth.document["running_header"] = item.header if ctx.layout.running else None
    unplaced = [c["id"] for c in ctx.truth.budget_cells if c["page"] is None]
    unplaced += [f"t{v['table']}r{v['row']}" for v in ctx.truth.indicator_values if v["page"] is None]
    unplaced += [a["mark"] for a in ctx.truth.prose_amounts if a["page"] is None]
    if unplaced:
        raise RuntimeError(f"{pdf.name}: no page found for {len(unplaced)} mark(s), e.g. {unplaced[:3]}")
    truth_path = out / f"{item.stem}.truth.json"
    ctx.truth.write(truth_path)
    flat = page_texts(pdf)
    cells, rows = unprinted_rows(json.loads(truth_path.read_text(encoding="utf-8")), flat, page_texts(pdf, spaced=True))
    if cells or rows:  # rows the renderer left out: no reader can find them, the truth does not list them
        ctx.truth.budget_cells = [c for c in ctx.truth.budget_cells if c["id"] not in cells]
        ctx.truth.indicator_values = [v for v in ctx.truth.indicator_values if (v["table"], v["row"]) not in rows]
        ctx.truth.write(truth_path)
        result.left_out[pdf.name] = [*sorted(cells), *(f"t{t}r{r} (indicator row)" for t, r in sorted(rows))]
    result.pdfs.append(pdf)
    result.truths.append(truth_path)
    missing = unprinted(json.loads(truth_path.read_text(encoding="utf-8")), flat)
    if missing:
        result.unprinted[pdf.name] = missing


def _text_copy(item: Pending, pdf: Path, out: Path, result: BuildResult) -> None:
    """The pdftotext -layout export of a born-digital PDF; same truth (pages split by form feeds)."""
    target = out / f"{item.stem}.txt"
    render.text_export(pdf, target)
    truth = json.loads((out / f"{item.stem}.truth.json").read_text(encoding="utf-8"))
    truth["file"] = target.name
    truth["document"]["layout"]["text_export"] = True
    truth["document"]["text_export"] = {"tool": "pdftotext -layout", "born_digital_source": pdf.name}
    path = out / f"{item.stem}.text.truth.json"
    path.write_text(dumps(truth), encoding="utf-8")
    result.pdfs.append(target)
    result.truths.append(path)


def _scan_copies(scans: list[tuple[Pending, Plan]], work: Path, out: Path, result: BuildResult, progress) -> None:
    """Scanned copies; one whose document carries no defect is re-rendered with a wrong total planted first,
    so every scan holds a genuine document error for the benchmark to count."""
    copies: list[tuple[Pending, bool]] = []
    for item, plan in scans:
        ctx = item.ctx
        if ctx.truth.defects:
            copies.append((item, False))
            continue
        base_type = "convention" if ctx.doc_type == "avenant" else ctx.doc_type
        variant_plan = replace(plan, defects={**plan.defects, (ctx.year, base_type): PLANTED_ON_SCANS})
        variant = _compose_as(variant_plan, ctx.year, base_type, ctx.doc_type, ctx.layout, work, f"{item.stem}.planted")
        copies.append((variant, True))
    for kind in ("docx", "xlsx"):
        render.convert([v.source for v, planted in copies if planted and v.source.suffix == f".{kind}"], work, kind)
    for i, (item, planted) in enumerate(copies):
        src = work / f"{item.stem}.pdf" if planted else out / f"{item.stem}.pdf"
        if planted:
            _finish(item, src, work, BuildResult())
        stem = item.stem.removesuffix(".planted")
        target = out / f"{stem}.scan.pdf"
        info = scan_pdf(src, target, f"{item.ctx.plan.seed}-office-{stem}", dpi=SCAN_DPI[i % len(SCAN_DPI)])
        truth = json.loads((src.parent / f"{item.stem}.truth.json").read_text(encoding="utf-8"))
        truth["file"] = target.name
        truth["document"]["layout"]["scan"] = True
        truth["document"]["scan"] = {**info, "born_digital_source": f"{stem}.pdf", "planted_for_scan": planted}
        path = out / f"{stem}.scan.truth.json"
        path.write_text(dumps(truth), encoding="utf-8")
        result.pdfs.append(target)
        result.truths.append(path)
        if progress:
            progress(target.name)
