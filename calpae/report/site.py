"""`calpae report`: the static HTML site of a run, built from its database (Jinja2 templates, package data)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from calpae import __version__
from calpae.report import words
from calpae.report.crops import CropView, crop_view, missing_view
from calpae.report.data import RunData
from calpae.report.images import PageImage, PageMarks, missing_file, render_pages
from calpae.report.model import Box, Finding, Table

if TYPE_CHECKING:
    from calpae.report.national import NationalFigures

Progress = Callable[[str], None]


def resolve_source(source: str, db: str | Path) -> Path | None:
    """Where a document's file is now: its recorded path (relative to the working folder), else relative to the
    database's folder and its parent (a run folder moved with its inputs)."""
    path = Path(source)
    if path.is_file():
        return path
    if not path.is_absolute() and "://" not in str(db):
        base = Path(db).resolve().parent
        for root in (base, base.parent):
            if (root / path).is_file():
                return root / path
    return None


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("calpae.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        euros=words.euros,
        amount=words.amount,
        percent=words.percent,
        check_name=lambda c: words.CHECK_NAMES.get(c, c),
        severity_name=lambda s: words.SEVERITY_NAMES.get(s, s),
        doc_type=lambda t: words.DOC_TYPES.get(t, t),
        role_name=words.role_name,
        kind_name=lambda k: words.KINDS.get(k, k),
        part_name=lambda p: words.PARTS.get(p, p),
        describe=words.describe,
        figure=words.figure,
        basename=lambda s: str(s).replace("\\", "/").rsplit("/", 1)[-1],
    )
    return env


class Site:
    """Writes the pages of one report; holds the run's data, the page images and the template environment."""

    def __init__(self, run: RunData, out: Path, db: str | Path, scale: float):
        self.run, self.out, self.db, self.scale = run, out, db, scale
        self.env = _environment()
        self.images: dict[tuple[str, int], PageImage] = {}
        self.problems: dict[str, str] = {}
        self.paths: dict[str, Path] = {}
        self.pages_written = 0
        self.national: NationalFigures | None = None  # set when the département pages are written
        self.base = {"version": __version__, "db_name": Path(str(db)).name}
        self.env.filters["source_href"] = self.source_href

    # ---- images -----------------------------------------------------------------------------------------------
    def page_marks(self) -> dict[tuple[str, int], PageMarks]:
        """Every page the report shows, with the cells to highlight on it."""
        pages: dict[tuple[str, int], PageMarks] = {}
        for f in self.run.findings:
            for c in f.cells:
                if c.page is not None and c.document_id in self.run.documents:
                    pm = pages.setdefault((c.document_id, c.page), PageMarks(c.document_id, c.page))
                    if c.box is not None:
                        pm.add(c.box, c.part)
        for t in self.run.tables.values():
            for p in t.pages:
                pages.setdefault((t.document_id, p), PageMarks(t.document_id, p))
        return {k: v for k, v in pages.items() if self.run.documents[k[0]].is_pdf}

    def render_images(self, progress: Progress | None) -> None:
        for doc_id, doc in self.run.documents.items():
            if doc.is_pdf:
                path = resolve_source(doc.source, self.db)
                if path is not None:
                    self.paths[doc_id] = path.resolve()
        marks = self.page_marks()
        sources = {d: self.paths.get(d, Path(self.run.documents[d].source)) for d, _ in marks}
        self.images, self.problems = render_pages(sources, marks, self.out, self.scale, progress)
        for doc_id, doc in self.run.documents.items():  # a PDF moved away is said even where no page was needed
            if doc.is_pdf and doc_id not in self.paths and doc.status != "failed":
                self.problems.setdefault(doc_id, missing_file(doc.source))

    def pdf_href(self, doc_id: str, page: int | None) -> str:
        path = self.paths.get(doc_id)
        return f"{path.as_uri()}#page={page}" if path is not None and page else ""

    def page_href(self, doc_id: str, page: int | None) -> str:
        if page is not None and (doc_id, page) in self.images:
            return f"page/{doc_id}-p{page}.html"
        return f"doc/{doc_id}.html"

    def source_href(self, source) -> str:
        return self.page_href(source.document_id, source.page) if source.document_id in self.run.documents else ""

    def _name(self, doc_id: str) -> str:
        d = self.run.documents.get(doc_id)
        return d.name if d else doc_id

    def view(self, doc_id: str, page: int | None, marks: list, frame: list[Box] | None = None, full=False) -> CropView:
        caption = f"{self._name(doc_id)}, page {page}" if page else self._name(doc_id)
        img = self.images.get((doc_id, page)) if page is not None else None
        if img is None or page is None:
            doc = self.run.documents.get(doc_id)
            if doc is not None and not doc.is_pdf:
                why = "document texte, sans image de page (voir la ligne indiquée)"
            else:
                why = self.problems.get(doc_id, "page non rendue")
            return missing_view(caption, self.page_href(doc_id, page), why, page)
        return crop_view(
            img,
            marks,
            caption,
            self.page_href(doc_id, page),
            page,
            self.scale,
            full,
            self.pdf_href(doc_id, page),
            frame,
        )

    # ---- pages ------------------------------------------------------------------------------------------------
    def write(self, rel: str, template: str, root: str, **context) -> None:
        html = self.env.get_template(template).render(root=root, **self.base, **context)
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        self.pages_written += 1

    def finding_crops(self, f: Finding) -> list[CropView]:
        groups: dict[tuple[str, int | None], list] = defaultdict(list)
        for c in f.cells:
            groups[(c.document_id, c.page)].append(c)
        views = []
        for (doc_id, page), cells in groups.items():
            marks = [(c.box, c.part, c.label, "") for c in cells if c.box is not None]
            views.append(self.view(doc_id, page, marks, full=not marks))
        return views

    def write_findings(self) -> None:
        findings = self.run.findings
        docs = self.run.documents
        self.write("findings.html", "findings.html", ".", title="Constats", findings=findings)
        for i, f in enumerate(findings):
            tids = dict.fromkeys([f.table_id, *(c.table_id for c in f.cells)])
            self.write(
                f"finding/{f.number}.html",
                "finding.html",
                "..",
                title=f"Constat n° {f.number}",
                f=f,
                doc=docs.get(f.document_id) or _unknown(f.document_id),
                docs_by_id=docs,
                tables=[self.run.tables[t] for t in tids if t in self.run.tables],
                crops=self.finding_crops(f),
                prev=findings[i - 1].number if i else None,
                next=findings[i + 1].number if i + 1 < len(findings) else None,
            )

    def table_crops(self, t: Table) -> list[CropView]:
        views = []
        for page in t.pages:
            frame = t.boxes_on(page)
            marks = [
                (c.box, c.mark, f"constat n° {', '.join(map(str, c.findings))}", f"finding/{c.findings[0]}.html")
                for c in t.cells.values()
                if c.page == page and c.mark and c.box is not None and c.findings
            ]
            views.append(self.view(t.document_id, page, marks, frame=frame))
        return views

    def write_tables(self) -> None:
        by_number = {f.number: f for f in self.run.findings}
        for t in self.run.tables.values():
            self.write(
                f"table/{t.table_id}.html",
                "table.html",
                "..",
                title=f"Tableau {t.table_id}",
                t=t,
                doc=self.run.documents.get(t.document_id) or _unknown(t.document_id),
                findings=[by_number[n] for n in sorted(t.findings)],
                crops=self.table_crops(t),
            )

    def write_documents(self, dept_pages: set[str]) -> None:
        tables_of: dict[str, list[Table]] = defaultdict(list)
        for t in self.run.tables.values():
            tables_of[t.document_id].append(t)
        pages_of: dict[str, list[int]] = defaultdict(list)
        for doc_id, page in sorted(self.images):
            pages_of[doc_id].append(page)
        for doc_id, d in self.run.documents.items():
            self.write(
                f"doc/{doc_id}.html",
                "document.html",
                "..",
                title=d.name,
                d=d,
                dept_page=d.departement_code in dept_pages,
                findings=self.run.findings_of(doc_id),
                tables=sorted(tables_of[doc_id], key=lambda t: (t.pages[:1], t.table_id)),
                pages=pages_of[doc_id],
                prose=self.run.prose_values.get(doc_id, []),
                pdf_href=self.pdf_href(doc_id, 1),
                problem=self.problems.get(doc_id, ""),
            )
            self.write_page_views(doc_id, pages_of[doc_id], tables_of[doc_id])

    def write_page_views(self, doc_id: str, pages: list[int], tables: list[Table]) -> None:
        findings = self.run.findings_of(doc_id)
        for i, page in enumerate(pages):
            marks, items = [], []
            for f, c in self.run.marks_on(doc_id, page):
                marks.append((c.box, c.part, f"constat n° {f.number}", f"finding/{f.number}.html"))
            for f in findings:
                if f.page == page:
                    items.append(
                        (
                            f"constat n° {f.number} ({words.CHECK_NAMES.get(f.check, f.check)})",
                            f"finding/{f.number}.html",
                        )
                    )
            for t in tables:
                if page in t.pages:
                    items.append((f"tableau {t.table_id}", f"table/{t.table_id}.html"))
            self.write(
                f"page/{doc_id}-p{page}.html",
                "page.html",
                "..",
                title=f"{self._name(doc_id)}, page {page}",
                d=self.run.documents[doc_id],
                page=page,
                items=items,
                view=self.view(doc_id, page, marks, full=True),
                prev=f"{doc_id}-p{pages[i - 1]}.html" if i else None,
                next=f"{doc_id}-p{pages[i + 1]}.html" if i + 1 < len(pages) else None,
            )


def _unknown(doc_id: str):
    from calpae.report.model import Document

    return Document(doc_id, doc_id, "other", "", "", "", 0, "", "document absent de la table documents")
