"""calpae report on generated documents: pages, words, crops and highlights, links and assets (no browser)."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from report_run import DELETED, report_run

NB = "\u202f"  # the report's thousands separator


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return report_run(tmp_path_factory)


def _read(path: Path) -> str:
    """The page's HTML with character references decoded (l&#39;action → l'action)."""
    return htmllib.unescape(path.read_text(encoding="utf-8"))


def _doc_id(run, name: str) -> str:
    import duckdb

    con = duckdb.connect(str(run.db), read_only=True)
    try:
        return con.execute("SELECT document_id FROM documents WHERE source LIKE ?", [f"%/{name}"]).fetchone()[0]
    finally:
        con.close()


def _marks(html: str) -> list[tuple[str, float, float, float, float]]:
    """(part, left %, top %, width %, height %) of each outlined cell of a page."""
    pattern = r'data-part="(\w+)" style="left: ([\d.-]+)%; top: ([\d.-]+)%; width: ([\d.]+)%; height: ([\d.]+)%"'
    return [(m[0], *map(float, m[1:])) for m in re.findall(pattern, html)]


def test_every_link_and_image_of_the_report_resolves(run):
    from calpae.report.check import check_report

    result = check_report(run.report)
    assert result.problems == []
    # index, list of findings, 7 findings, 4 documents, 2 départements, tables and page views
    assert result.pages > 20 and result.links > 200 and result.images >= 5


def test_one_image_per_page_used_and_no_page_twice(run):
    images = sorted(p.name for p in (run.report / "img").iterdir())
    used = set()
    for html in run.report.rglob("*.html"):
        used.update(re.findall(r'src="[./]*img/([\w-]+\.png)"', _read(html)))
    assert images == sorted(used)  # every image is shown somewhere, and there is nothing else in img/
    conv = _doc_id(run, "006-2019-convention.pdf")
    assert f"{conv}-p2.png" in images and f"{conv}-p3.png" in images
    assert not any(name.startswith(_doc_id(run, DELETED)) for name in images)
    assert all((run.report / "img" / name).stat().st_size < 400_000 for name in images)


def test_index_lists_documents_and_national_coverage(run):
    html = _read(run.report / "index.html")
    for name in ("006-2019-convention.pdf", "073-2019-rapport_execution.pdf", "073-2020-rapport_execution.pdf"):
        assert f">{name}</a>" in html
    assert "Rapport d'audit — 4 document(s), 2 département(s)" in html
    assert "3 erreur(s), 4 avertissement(s), 0 information(s)" in html
    assert "2 département(s) sur 101 ont des données." in html
    assert html.count('class="tile on"') == 2 and html.count('class="tile"') == 99
    assert html.count("<svg") == 4  # budget, shares, rates, indicator coverage: inline, no image file
    assert "introuvable" in html and DELETED in html  # the deleted PDF is named, not silently skipped


def test_total_mismatch_page_says_it_in_french_and_highlights_the_cells(run):
    html = _read(run.report / "finding" / "1.html")
    assert (
        f"Le total « Sous total 1 / A Participation État 2019 » déclare 415{NB}000{NB}€, mais ses 2 ligne(s) "
        f"additionnées donnent 412{NB}500{NB}€ : écart de 2{NB}500{NB}€." in html
    )
    conv = _doc_id(run, "006-2019-convention.pdf")
    assert f'src="../img/{conv}-p2.png"' in html
    assert f'href="../table/{conv}-t1.html"' in html and f'href="../page/{conv}-p2.html"' in html
    assert [m[0] for m in _marks(html)] == ["declared", "part", "part"]
    assert "file://" in html and "#page=2" in html  # the original PDF, at its page


def test_highlight_is_drawn_on_the_page_image_at_the_cell(run):
    """The declared cell's box on the PNG (PDF points × scale) is mostly the declared fill or outline."""
    import duckdb
    from PIL import Image

    from calpae.report.images import RENDER_SCALE

    con = duckdb.connect(str(run.db), read_only=True)
    bbox = con.execute("SELECT bbox FROM findings WHERE \"check\" = 'total_mismatch'").fetchone()[0]
    con.close()
    x0, top, x1, bottom = (float(v) * RENDER_SCALE for v in bbox.split(","))
    conv = _doc_id(run, "006-2019-convention.pdf")
    with Image.open(run.report / "img" / f"{conv}-p2.png") as im:
        region = im.convert("RGB").crop((int(x0), int(top), int(x1), int(bottom)))
    pixels = [region.getpixel((x, y)) for x in range(region.width) for y in range(region.height)]
    red = sum(1 for r, g, b in pixels if r > 200 and g < 215 and b < 215 and r - g > 30)
    assert red > 0.5 * len(pixels)


def test_summary_against_action_table_shows_both_pages(run):
    html = _read(run.report / "finding" / "2.html")
    rapport = _doc_id(run, "073-2019-rapport_execution.pdf")
    assert f'src="../img/{rapport}-p1.png"' in html and f'src="../img/{rapport}-p3.png"' in html
    assert sorted(m[0] for m in _marks(html)) == ["declared", "other"]
    assert "le tableau de l'action (page 3)" in html and f"écart de 18{NB}500{NB}€" in html


def test_restatement_across_documents_shows_both_documents_without_euros(run):
    html = _read(run.report / "finding" / "5.html")
    before, after = _doc_id(run, "073-2019-rapport_execution.pdf"), _doc_id(run, "073-2020-rapport_execution.pdf")
    assert f'src="../img/{after}-p2.png"' in html and f'src="../img/{before}-p2.png"' in html
    assert (
        f"Le même chiffre vaut 1{NB}025 dans ce document mais 958 dans un autre document "
        "(073-2019-rapport_execution.pdf, page 2) : écart de 67." in html
    )


def test_table_page_marks_roles_totals_and_failing_cells(run):
    conv = _doc_id(run, "006-2019-convention.pdf")
    html = _read(run.report / "table" / f"{conv}-t1.html")
    assert '<td class="num cell-declared"><a href="../finding/1.html"' in html
    assert f">415{NB}000</a>" in html
    assert "<th>prévu / État</th>" in html and "<th>prévu / Département</th>" in html  # stage / part per column
    assert html.count('<tr class="total">') == 7  # six sub-totals and the grand total


def test_departement_page_gives_each_figure_its_sources(run):
    html = _read(run.report / "dept" / "73.html")
    after = _doc_id(run, "073-2020-rapport_execution.pdf")
    assert "Nombre de jeunes devenus majeurs" in html and "<code>ase.jeunes_majeurs</code>" in html
    assert f'href="../page/{after}-p2.html">073-2020-rapport_execution.pdf p. 2</a>' in html
    assert 'title="les documents donnent des valeurs différentes">≠' in html  # the restated value


def test_missing_pdf_is_said_on_its_document_page(run):
    html = _read(run.report / "doc" / f"{_doc_id(run, DELETED)}.html")
    assert "introuvable (déplacé ou supprimé depuis l'extraction)" in html


def test_report_of_a_missing_database_is_a_clear_error(tmp_path, capsys):
    from calpae.cli import main

    assert main(["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r")]) == 2
    assert "none.duckdb not found" in capsys.readouterr().err
    assert main(["report"]) == 2


def test_checker_catches_a_broken_link_an_external_asset_and_a_bad_image(tmp_path):
    from calpae.report.check import check_report

    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "bad.png").write_bytes(b"not an image")
    (tmp_path / "index.html").write_text(
        '<a href="missing.html">x</a><a href="index.html#nowhere">y</a>'
        '<img src="img/bad.png"><script src="https://cdn.example/x.js"></script><a href="#top" id="top">z</a>',
        encoding="utf-8",
    )
    problems = check_report(tmp_path).problems
    assert len(problems) == 4
    assert "missing.html" in problems[0] and "no element with id 'nowhere'" in problems[1]
    assert "does not open" in problems[2] and "network" in problems[3]


def test_amounts_in_french():
    from calpae.report.words import amount, euros, percent

    assert euros(Decimal("1936652.5")) == f"1{NB}936{NB}652,50{NB}€"
    assert amount(Decimal("-2500")) == f"-2{NB}500" and amount(None) == "?"
    assert percent(Decimal("0.8141")) == f"81,4{NB}%"


def test_a_run_made_before_boxes_were_kept_still_gives_a_whole_report(run, tmp_path):
    """A database without the bbox/row/col/cells columns: findings show their whole page, links still hold."""
    import duckdb

    from calpae.report.build import build_report
    from calpae.report.check import check_report

    old = tmp_path / "old.duckdb"
    shutil.copy(run.db, old)
    con = duckdb.connect(str(old))
    for table, columns in (
        ("budget_lines", ("row", "col", "bbox")),
        ("indicator_values", ("table_id", "bbox")),
        ("findings", ("table_id", "bbox", "cells")),
    ):
        for column in columns:
            con.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')
    con.close()
    summary = build_report(old, tmp_path / "report")
    assert summary.images == 4  # the pages of the 7 findings: 006 p. 2, 073-2019 p. 1, 073-2020 p. 2 and p. 5
    assert check_report(tmp_path / "report").problems == []
    html = _read(tmp_path / "report" / "finding" / "1.html")
    assert "mais ses lignes additionnées donnent" in html and 'class="mark' not in html


def test_national_plots_become_heat_maps_past_forty_bars():
    from calpae.report import plots
    from calpae.report.national import NationalFigures

    few = {("06", 2019): (Decimal(2_000_000), Decimal(1_500_000))}
    many = {(f"{d:02d}", y): (Decimal(2_000_000), Decimal(1_500_000)) for d in range(1, 21) for y in (2019, 2020, 2021)}
    small = plots.budget_by_year(NationalFigures(few, {}, {}))
    large = plots.budget_by_year(NationalFigures(many, {}, {}))
    assert small.startswith("<svg") and "prévu" in small and "M€ exécutés" not in small
    assert large.startswith("<svg") and "M€ exécutés (somme des mesures)" in large and "prévu" not in large
    assert "75" in plots.execution_rates(NationalFigures(many, {}, {}))  # 1.5 / 2 written in each cell
    assert plots.shares(NationalFigures({}, {}, {})) is None
