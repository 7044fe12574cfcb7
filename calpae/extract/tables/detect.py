"""All the tables of a PDF document, in reading order: ruled ones (found page by page while the pages were open),
then tables of wrapped amounts, tables of figures that are not money (indicator tables without inner rules),
borderless and text-layout ones among the lines left (a words-based reading of a page replacing theirs where it
names more of its columns), merged over page breaks."""

from __future__ import annotations

from calpae.extract.settings import A4_HEIGHT
from calpae.extract.structure.furniture import repeated_furniture
from calpae.extract.structure.stamps import stamp_kind
from calpae.extract.tables.borderless.tables import borderless_tables
from calpae.extract.tables.figures.tables import figure_tables
from calpae.extract.tables.found import Found
from calpae.extract.tables.guard import guarded
from calpae.extract.tables.layout_in_pdf import layout_tables
from calpae.extract.tables.merge import mark_lines_in, merge_continuations, title_above
from calpae.extract.tables.pick import prefer_named
from calpae.extract.tables.wrapped import finish, page_tables, wrapped_tables
from calpae.extract.tables.wrapped_pages import continuation_chains
from calpae.models import Document


def _none() -> list[Found]:
    return []


def detect_tables(doc: Document, ruled: list[Found]) -> None:
    """Fill doc.tables: ruled tables, then borderless and text-layout ones, merged over page breaks. Each reader
    runs guarded: one that crashes loses its own tables only (the document partial, the reader named)."""
    furniture = repeated_furniture([p.lines for p in doc.pages], [p.height or A4_HEIGHT for p in doc.pages])
    # OCR reads a page's prefecture stamp a little differently on each page ('…20230821.CD…', '…-CD…'): not
    # repeated word for word, each stamp field is furniture all the same, no table's header or first row
    furniture |= {id(ln) for p in doc.pages if p.ocr for ln in p.lines if stamp_kind(ln.text)}
    ruled = guarded(doc, "joining ruled tables over pages", lambda: merge_continuations(doc, ruled, furniture), ruled)
    rebuilt = [f for f in ruled if f.table.source == "ocr"]  # borderless tables rebuilt from a page image's words
    for f in ruled:
        if f.table.source != "ocr":
            mark_lines_in(doc, f)
    free = [ln for p in doc.pages for ln in p.lines if not ln.in_table]
    for f in rebuilt:
        mark_lines_in(doc, f)
    loose = guarded(doc, "the reader of wrapped-amount tables", lambda: wrapped_tables(doc, furniture), _none())
    loose += guarded(doc, "the reader of indicator tables", lambda: figure_tables(doc, furniture), _none())
    under_rebuilt = [ln for ln in free if ln.in_table and any(ln.page in f.table.pages for f in rebuilt)]
    for ln in under_rebuilt:  # the words-based reader reads them too, and may replace the OCR reading
        ln.in_table = False
    candidates = guarded(
        doc, "the words-based page reader", lambda: page_tables(doc, furniture, need_wrapped=False), _none()
    )
    for ln in under_rebuilt:
        ln.in_table = True
    others = guarded(
        doc, "the borderless reader", lambda: borderless_tables(doc, furniture, geometric_only=True), _none()
    )
    others += guarded(doc, "the text-layout reader", lambda: layout_tables(doc, furniture), _none())
    chosen, others = guarded(
        doc,
        "choosing between readings",
        lambda: prefer_named(continuation_chains(candidates), others + rebuilt),
        (_none(), others + rebuilt),
    )
    ruled = [f for f in ruled if f.table.source != "ocr" or any(f is o for o in others)]
    others = [f for f in others if not any(f is r for r in rebuilt)]
    loose += guarded(doc, "the words-based page reader", lambda: finish(doc, chosen, furniture), _none()) + others
    for f in ruled:
        f.table.title = title_above(doc, f, furniture)
    everything = sorted(ruled + loose, key=lambda f: (f.page, f.bbox.top))
    for n, f in enumerate(everything, start=1):
        f.table.id = f"{doc.id}-t{n}"
        doc.tables.append(f.table)
