"""A weaker copy of a document (a text export, a scan) yields to its born-digital copy: its misread figures never
become facts of their own, they are reported, and its lines take the better copy's measures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from calpae.models import BudgetLine, Document, Extraction, Page, Provenance
from calpae.reconcile import reconcile
from calpae.store import RunStore

ACTIONS = {f"2.{k} Action {k}": Decimal(1000 * k + 17) for k in range(1, 7)}


def _doc(
    doc_id: str,
    kind: str,
    pages: int,
    amounts: dict[str, Decimal],
    measure: str | None,
    doc_type: str = "avenant",
    ocr: bool = False,
) -> Extraction:
    source = f"{doc_id}.{'txt' if kind == 'text' else 'pdf'}"
    doc = Document(
        id=doc_id,
        source=source,
        sha256=doc_id * 4,
        kind=kind,
        doc_type=doc_type,
        departement_code="11",
        year=2020,
        period="2020",
        page_count=pages,
        pages=[Page(number=k + 1, ocr=ocr) for k in range(pages)],
    )
    lines = [
        BudgetLine(
            provenance=Provenance(document_id=doc_id, source=source, page=2, raw=str(amount)),
            departement_code="11",
            measure_id=measure,
            table_id=f"{doc_id}-t1",
            table_kind="forecast",
            row_label=label,
            column_label="Total 2020",
            year=2020,
            stage="planned",
            part="total",
            level="action",
            action=label,
            amount=amount,
            line_id=f"{doc_id}-t1/r{k}c1",
        )
        for k, (label, amount) in enumerate(amounts.items())
    ]
    return Extraction(document=doc, budget_lines=lines)


def test_text_copy_yields_to_born_digital(tmp_path: Path) -> None:
    misread = dict(ACTIONS)
    misread["2.3 Action 3"] = Decimal("3071")  # 3017 read as 3071
    store = RunStore(tmp_path, write_json=False)
    store.add(_doc("a" * 16, "pdf", 3, ACTIONS, "socle.premier_accueil"))
    store.add(_doc("b" * 16, "text", 3, misread, None))  # no measure of its own: it takes its better copy's
    other = {f"Ligne {k}": v for k, v in enumerate([Decimal(5), *misread.values()])}
    store.add(_doc("c" * 16, "text", 4, other, None))  # the same amounts, but 4 pages: no copy of the first
    reconcile(store.con)
    con = store.con
    copies = con.execute("SELECT document_id, copy_of, shared_amounts, lines_matched, lines_differing FROM copies")
    assert copies.fetchall() == [("b" * 16, "a" * 16, 5, 5, 1)]
    facts = con.execute(
        "SELECT action, value, source_documents FROM dataset_long WHERE fact_type = 'budget' AND measure_id <> '' "
        "ORDER BY action"
    ).fetchall()
    assert [(a, v) for a, v, _ in facts] == [(label, Decimal(v)) for label, v in sorted(ACTIONS.items())]
    assert {s for _, _, s in facts} == {"a" * 16 + ".pdf"}
    # the document of 4 pages is no copy: its lines stay its own facts (without a measure)
    assert con.execute("SELECT count(*) FROM dataset_long WHERE measure_id = ''").fetchone()[0] == 7
    mismatch = con.execute(
        "SELECT value_a, value_b, document_b FROM conflicts WHERE check_name = 'copy_mismatch'"
    ).fetchall()
    assert mismatch == [(Decimal(3017), Decimal(3071), "b" * 16)]
    (message,) = con.execute("SELECT message FROM findings WHERE \"check\" = 'copy_mismatch'").fetchone()
    assert "3071" in message and "3017" in message
    measures = con.execute(
        f"SELECT measure_id, measure_source, count(*) FROM series WHERE document_id = '{'b' * 16}' GROUP BY 1, 2"
    ).fetchall()
    assert sorted(measures, key=lambda m: m[2]) == [(None, None, 1), ("socle.premier_accueil", "copy", 5)]
    store.close()


def test_copy_line_whose_own_measure_differs_takes_none(tmp_path: Path) -> None:
    """Two readings of one line that disagree on its measure: the copy's line is left unmapped, neither the better
    copy's measure spread over its own evidence nor its own kept (the better copy's line keeps its own)."""
    store = RunStore(tmp_path, write_json=False)
    store.add(_doc("a" * 16, "pdf", 3, ACTIONS, "socle.premier_accueil"))
    store.add(_doc("b" * 16, "text", 3, ACTIONS, "socle.referent_parcours"))
    reconcile(store.con)
    got = store.con.execute(
        "SELECT document_id, measure_id, measure_source, count(*) FROM series GROUP BY 1, 2, 3 ORDER BY 1"
    ).fetchall()
    assert got == [("a" * 16, "socle.premier_accueil", None, 6), ("b" * 16, None, None, 6)]
    store.close()


def _with_subtotals(ext: Extraction, measures: list[str]) -> Extraction:
    """The document's lines, then a zero 'Sous total' per measure, in the given order."""
    doc_id = ext.document.id
    last = ext.budget_lines[-1]
    zeros = [
        last.model_copy(
            update=dict(
                row_label="Sous total",
                action=None,
                level="measure",
                amount=Decimal(0),
                measure_id=measure,
                line_id=f"{doc_id}-t1/z{k}c1",
            )
        )
        for k, measure in enumerate(measures)
    ]
    return ext.model_copy(update=dict(budget_lines=[*ext.budget_lines, *zeros]))


def test_equal_zero_subtotals_of_a_copy_keep_their_own_measures(tmp_path: Path) -> None:
    """Three zero 'Sous total' rows share amount and words: the copy's row pairs with the original's row of the
    measure it names itself, not with the first one of the page."""
    measures = ["socle.ase_sorties", "socle.premier_accueil", "socle.referent_parcours"]
    store = RunStore(tmp_path, write_json=False)
    store.add(_with_subtotals(_doc("a" * 16, "pdf", 3, ACTIONS, "socle.premier_accueil"), measures))
    store.add(_with_subtotals(_doc("b" * 16, "text", 3, ACTIONS, "socle.premier_accueil"), measures[::-1]))
    reconcile(store.con)
    got = store.con.execute(
        f"SELECT line_id, measure_id FROM series WHERE document_id = '{'b' * 16}' AND line_id LIKE '%/z%' ORDER BY 1"
    ).fetchall()
    assert got == [(f"{'b' * 16}-t1/z{k}c1", m) for k, m in enumerate(measures[::-1])]


def test_scan_yields_to_the_pdf_of_its_kind_among_documents_of_its_year(tmp_path: Path) -> None:
    """A one-page scan whose OCR misread most amounts shares too few with the PDF to pass as its copy by share, and
    the year has another one-page document quoting the same amounts (a deliberation): the PDF of the kind OCR's
    words named is its copy, so the scan's misreadings become no facts."""
    right = dict(list(ACTIONS.items())[:5])
    misread = right | {f"2.{k} Act1on {k}": Decimal(900_000 + k) for k in range(6, 14)}  # 5 shared of 13
    store = RunStore(tmp_path, write_json=False)
    store.add(_doc("a" * 16, "pdf", 1, ACTIONS, "socle.premier_accueil", doc_type="tableau_financier"))
    store.add(_doc("d" * 16, "pdf", 1, right, "socle.premier_accueil", doc_type="deliberation"))
    store.add(_doc("s" * 16, "pdf", 1, misread, None, doc_type="tableau_financier", ocr=True))
    reconcile(store.con)
    con = store.con
    assert con.execute("SELECT document_id, copy_of FROM copies").fetchall() == [("s" * 16, "a" * 16)]
    values = con.execute("SELECT DISTINCT value FROM dataset_long WHERE fact_type = 'budget' ORDER BY value").fetchall()
    assert [v for (v,) in values] == sorted(ACTIONS.values())  # none of the scan's misread amounts
    store.close()
