"""Building a report: the steps of `calpae report` in order, from the database to the written site."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from calpae.report.data import load_run
from calpae.report.images import RENDER_SCALE
from calpae.report.index import write_departements, write_index
from calpae.report.site import Progress, Site


@dataclass
class ReportSummary:
    out: Path
    index: Path
    html_pages: int = 0
    images: int = 0
    size_bytes: int = 0
    seconds: float = 0.0
    problems: dict[str, str] = field(default_factory=dict)  # document_id -> why its pages have no image


def build_report(
    db: str | Path, out: Path, scale: float = RENDER_SCALE, progress: Progress | None = None
) -> ReportSummary:
    """Write the report of the run in `db` to `out` (replacing an earlier report there)."""
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    out = Path(out)
    for sub in ("finding", "table", "doc", "page", "dept", "img"):
        shutil.rmtree(out / sub, ignore_errors=True)  # stale pages of an earlier report must not stay linked
    out.mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    css = resources.files("calpae.report").joinpath("static/style.css").read_text(encoding="utf-8")
    (out / "assets" / "style.css").write_text(css, encoding="utf-8")
    say("lecture de la base")
    run = load_run(db)
    site = Site(run, out, db, scale)
    say(f"rendu des pages utilisées ({len(site.page_marks())} pages de {len(run.documents)} documents)")
    site.render_images(progress)
    say("pages des départements et graphiques nationaux")
    dept_pages = write_departements(site)
    say(f"pages HTML : {len(run.findings)} constats, {len(run.tables)} tableaux, {len(run.documents)} documents")
    site.write_findings()
    site.write_tables()
    site.write_documents(dept_pages)
    write_index(site, dept_pages)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return ReportSummary(
        out,
        out / "index.html",
        site.pages_written,
        len(site.images),
        size,
        time.perf_counter() - started,
        site.problems,
    )
