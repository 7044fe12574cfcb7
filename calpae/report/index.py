"""The report's index (documents, national coverage, national plots) and its département pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from calpae.report import plots
from calpae.report.national import departement_view, national_figures

if TYPE_CHECKING:
    from calpae.report.site import Site


@dataclass
class Coverage:
    """One of the 101 départements: whether any figure was read for it, which years and document types."""

    code: str
    name: str
    has_data: bool = False
    years: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    documents: int = 0


def coverage(site: Site) -> list[Coverage]:
    from calpae.referential import load_referential

    ref = load_referential()
    out = {d.code: Coverage(d.code, d.name) for d in sorted(ref.departements.values(), key=lambda d: d.code)}
    years: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for d in site.run.documents.values():
        c = out.get(d.departement_code)
        if c is None:
            continue
        c.documents += 1
        c.has_data = c.has_data or d.figures_read > 0
        if d.year:
            years[c.code].add(d.year)
        types[c.code].add(d.doc_type)
    for code, c in out.items():
        c.years = sorted(years[code])
        c.doc_types = sorted(types[code])
    return list(out.values())


def write_departements(site: Site) -> set[str]:
    """One page per département that has documents; returns their codes."""
    from calpae.referential import load_referential
    from calpae.store.db import connect

    ref = load_referential()
    docs_by_dept = defaultdict(list)
    for d in site.run.documents.values():
        if d.departement_code:
            docs_by_dept[d.departement_code].append(d)
    written = set()
    with connect(site.db, read_only=True) as con:
        for code, docs in sorted(docs_by_dept.items()):
            dep = ref.departements.get(code)
            name = dep.name if dep else docs[0].departement_name
            region = getattr(dep, "region", "") or ""
            view = departement_view(con, code, name, region, [d.name for d in docs])
            site.write(f"dept/{code}.html", "departement.html", "..", title=f"{code} {name}", v=view, docs=docs)
            written.add(code)
        site.national = national_figures(con)
    return written


def write_index(site: Site, dept_pages: set[str]) -> None:
    from calpae.referential import load_referential

    run = site.run
    nf = site.national
    assert nf is not None, "the département pages are written first (they compute the national figures)"
    n_indicators = len(load_referential().indicators)
    cov = coverage(site)
    sev: defaultdict[str, int] = defaultdict(int)
    for f in run.findings:
        sev[f.severity] += 1
    docs = sorted(run.documents.values(), key=lambda d: (d.departement_code, d.year, d.doc_type, d.name))
    summary = dict(
        errors=sev["error"],
        warnings=sev["warning"],
        infos=sev["info"],
        budget=sum(d.budget_lines for d in docs),
        indicators=sum(d.indicator_values for d in docs),
        figures=sum(d.figures_read for d in docs),
        unread=sum(d.figures_unread or 0 for d in docs),
    )
    plot_list = [
        ("Budget prévu et exécuté par département et par année", plots.budget_by_year(nf)),
        ("Parts État et Département des montants prévus", plots.shares(nf)),
        ("Taux d'exécution par département et par année", plots.execution_rates(nf)),
        ("Couverture des indicateurs du référentiel", plots.indicator_coverage(nf, n_indicators)),
    ]
    site.write(
        "index.html",
        "index.html",
        ".",
        title="Rapport d'audit",
        docs=docs,
        docs_by_id=run.documents,
        n_depts=len({d.departement_code for d in docs if d.departement_code}),
        summary=summary,
        coverage=cov,
        covered=[c for c in cov if c.documents],
        dept_pages=dept_pages,
        plots=plot_list,
        problems=site.problems,
    )
