"""The generated corpus: deterministic, every layout present, truth that adds up, PDFs that say what the truth says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from corpora import LAYOUT_OPTIONS, build_corpus, parse_years
from corpora.french import format_french

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The default small corpus, built once for the module (what `make demo` bundles)."""
    out = tmp_path_factory.mktemp("corpus")
    build_corpus(out, 3, [2019, 2020, 2021], seed=1)
    return out


def truths(folder: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.truth.json"))}


@pytest.fixture(scope="module")
def page_texts(corpus) -> dict[str, list[str]]:
    """Each born-digital PDF's page texts as pdfplumber reads them (one pass for the module)."""
    import pdfplumber

    texts = {}
    for doc in truths(corpus).values():
        if not doc["document"]["layout"]["scan"]:
            with pdfplumber.open(corpus / doc["file"]) as pdf:
                texts[doc["file"]] = [p.extract_text() or "" for p in pdf.pages]
    return texts


def norm(text: str) -> str:
    """Whitespace folded, so amounts compare whatever space character the PDF holds."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def test_same_seed_same_truth_and_text(tmp_path):
    import pypdfium2 as pdfium

    for run in ("a", "b"):
        build_corpus(tmp_path / run, 1, [2020, 2021], seed=7, codes=["11"])
    assert truths(tmp_path / "a") == truths(tmp_path / "b")
    pdfs = sorted((tmp_path / "a").glob("*.pdf"))
    assert len(pdfs) == 9
    for pdf in pdfs:
        twin = tmp_path / "b" / pdf.name
        if ".scan." not in pdf.name:
            assert pdf.read_bytes() == twin.read_bytes(), pdf.name
        texts = [[p.get_textpage().get_text_range() for p in pdfium.PdfDocument(str(f))] for f in (pdf, twin)]
        assert texts[0] == texts[1]


def test_other_seed_other_amounts(tmp_path):
    build_corpus(tmp_path / "a", 1, [2019], seed=1, scan="none", codes=["11"])
    build_corpus(tmp_path / "b", 1, [2019], seed=2, scan="none", codes=["11"])
    a, b = truths(tmp_path / "a"), truths(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [c["amount"] for c in a["011-2019-convention.truth.json"]["budget_cells"]] != [
        c["amount"] for c in b["011-2019-convention.truth.json"]["budget_cells"]
    ]


def test_every_layout_option_present(corpus):
    docs = truths(corpus).values()
    layouts = [d["document"]["layout"] for d in docs]
    table_styles = {t["layout"]["table_style"] for d in docs for t in d["tables"]}
    assert table_styles == {"ruled", "borderless"}
    for flag in (
        "wrap_labels",
        "split_tables",
        "landscape",
        "rotated_headers",
        "stamps",
        "running",
        "scan",
        "columns_orientation",
        "dash_zero",
    ):
        assert any(lay[flag] for lay in layouts), flag
        assert not all(lay[flag] for lay in layouts), flag
    assert {lay["body_font"] for lay in layouts} == {"helvetica", "times"}
    assert any(lay["body_font"] != lay["heading_font"] for lay in layouts)
    styles_used = {t["layout"]["amount_style_used"] for d in docs for t in d["tables"]}
    assert {"dot_dec", "space", "dot", "nbsp", "keur"} <= styles_used
    prose_raw = " ".join(p["raw"] for d in docs for p in d["prose_amounts"])
    assert "M€" in prose_raw and "k€" in prose_raw
    assert any("- €" == c["raw"] for d in docs for c in d["budget_cells"])
    assert any(len(t["pages"]) > 1 for d in docs for t in d["tables"]), "no table runs over two pages"
    assert {d["document"]["doc_type"] for d in docs} == {
        "convention",
        "avenant",
        "rapport_execution",
        "deliberation",
        "tableau_financier",
    }


def test_every_defect_kind_planted(corpus):
    kinds = {x["kind"] for d in truths(corpus).values() for x in d["defects"]}
    assert kinds == {"total_mismatch", "part_sum_mismatch", "cross_table_mismatch", "restatement", "malformed_number"}


def _failing_relations(doc: dict) -> list[dict]:
    amounts = {c["id"]: Decimal(c["amount"]) for c in doc["budget_cells"]}
    bad = []
    for rel in doc["relations"]:
        parts = sum((amounts[p] for p in rel["parts"]), Decimal(0))
        if amounts[rel["total"]] != parts:
            bad.append(rel)
    return bad


def test_truth_adds_up_except_planted_defects(corpus):
    checked = 0
    for name, doc in truths(corpus).items():
        defect_cells = {x["cell"] for x in doc["defects"] if "cell" in x and x["kind"] != "malformed_number"}
        for rel in _failing_relations(doc):
            assert defect_cells & {rel["total"], *rel["parts"]}, (name, rel)
        for cell in defect_cells:
            assert any(cell in (r["total"], *r["parts"]) for r in _failing_relations(doc)), (name, cell)
        checked += len(doc["relations"])
    assert checked > 500


def test_budget_rows_state_plus_department_is_total(corpus):
    """In every convention/avenant table, A+B+C+D+E = F on each row unless a defect sits on that row."""
    docs = [d for d in truths(corpus).values() if d["document"]["doc_type"] in ("convention", "avenant")]
    rows_checked = 0
    for doc in docs:
        by_row: dict[str, dict[str, Decimal]] = {}
        for c in doc["budget_cells"]:
            by_row.setdefault(c["id"].rsplit("c", 1)[0], {})[c["column_label"][:1]] = Decimal(c["amount"])
        flagged = {x["cell"].rsplit("c", 1)[0] for x in doc["defects"] if "cell" in x}
        for key, row in by_row.items():
            if key not in flagged:
                assert row["A"] + row["B"] + row["C"] + row["D"] + row["E"] == row["F"], (doc["file"], key)
                rows_checked += 1
    assert rows_checked > 50


def test_restatement_differs_from_previous_report(corpus):
    docs = truths(corpus)
    found = 0
    for name, doc in docs.items():
        for d in (x for x in doc["defects"] if x["kind"] == "restatement"):
            prev = docs[name.replace(str(doc["document"]["year"]), str(d["year"]))]
            before = [
                v
                for v in prev["indicator_values"]
                if v["indicator_id"] == d["indicator_id"] and v["year"] == d["year"] and v["value_kind"] == "actual"
            ]
            assert before and before[0]["value"] == d["correct"] != d["declared"]
            found += 1
    assert found


def test_values_consistent_across_years(corpus):
    """Without a planted restatement, a value reported again next year is the same value."""
    docs = truths(corpus)
    seen: dict[tuple, set] = {}
    restated = {
        (n[:3], d["indicator_id"], d["year"])
        for n, doc in docs.items()
        for d in doc["defects"]
        if d["kind"] == "restatement"
    }
    for name, doc in docs.items():
        for v in doc["indicator_values"]:
            if v["value_kind"] == "actual" and (name[:3], v["indicator_id"], v["year"]) not in restated:
                seen.setdefault((name[:3], v["indicator_id"], v["year"]), set()).add(v["value"] or v["qualifier"])
    assert seen and all(len(vals) == 1 for vals in seen.values())


def test_amounts_of_truth_are_in_pdf_text(corpus, page_texts):
    for name, doc in truths(corpus).items():
        if doc["document"]["layout"]["scan"]:
            continue
        pages = [norm(t) for t in page_texts[doc["file"]]]
        assert len(pages) == doc["document"]["pages"]
        for c in doc["budget_cells"]:
            assert norm(c["raw"]) in pages[c["page"] - 1], (name, c)
        for v in doc["indicator_values"]:
            assert norm(v["raw"]) in pages[v["page"] - 1], (name, v)
        for p in doc["prose_amounts"]:
            assert norm(p["raw"]) in norm(" ".join(pages)), (name, p)


def test_stamp_on_every_page(corpus, page_texts):
    stamped = 0
    for doc in truths(corpus).values():
        lay = doc["document"]["layout"]
        if lay["scan"]:
            continue
        for number, text in enumerate(page_texts[doc["file"]], start=1):
            if lay["stamps"]:
                assert f"ID : {doc['document']['actes_id']}" in text, (doc["file"], number)
                assert "Reçu en préfecture le" in text
                stamped += 1
            else:
                assert "Reçu en préfecture le" not in text
            if lay["running"]:
                assert f"Page {number}" in text
    assert stamped > 20


def test_actes_id_names_departement(corpus):
    for doc in truths(corpus).values():
        meta = doc["document"]
        if meta["actes_id"]:
            code, siren, date, *_ = meta["actes_id"].split("-")
            assert code == meta["departement_code"].rjust(3, "0") and siren == meta["siren"]
            assert date[:4] == meta["act_date"][:4]


def test_scan_is_image_only_and_skewed(corpus):
    import pdfplumber

    scans = [d for d in truths(corpus).values() if d["document"]["layout"]["scan"]]
    assert scans
    for doc in scans:
        info = doc["document"]["scan"]
        assert info["dpi"] == 150 and all(0 < abs(a) < 1 for a in info["skew_degrees"])
        with pdfplumber.open(corpus / doc["file"]) as pdf:
            assert len(pdf.pages) == doc["document"]["pages"]
            assert all(not p.chars and p.images for p in pdf.pages)


def test_layouts_option_restricts(tmp_path):
    build_corpus(tmp_path, 1, [2019], seed=3, layouts=["ruled", "stamps"], codes=["47"])
    docs = truths(tmp_path).values()
    assert all(t["layout"]["table_style"] == "ruled" for d in docs for t in d["tables"])
    assert not any(
        d["document"]["layout"][f] for d in docs for f in ("scan", "landscape", "rotated_headers", "running")
    )
    with pytest.raises(ValueError, match="unknown layout"):
        build_corpus(tmp_path, 1, [2019], layouts=["sideways"])


@pytest.mark.parametrize(
    "value,style,text",
    [
        ("1002884", "dot_dec", "1.002.884,00 €"),
        ("59000", "dot", "59.000 €"),
        ("156111.2", "dot", "156.111,20 €"),
        ("1936652", "space", "1 936 652 €"),
        ("0", "space", "0 €"),
        ("312222.40", "malformed", "312.222.40 €"),
        ("12000", "keur", "12 k€"),
        ("1240000", "meur", "1,24 M€"),
        ("1936652", "nbsp", "1\u00a0936\u00a0652\u00a0€"),
    ],
)
def test_format_french(value, style, text):
    assert format_french(Decimal(value), style) == text


def test_dash_zero_and_years():
    assert format_french(Decimal(0), "dot_dec", dash_zero=True) == "- €"
    assert parse_years("2019-2021") == [2019, 2020, 2021] and parse_years("2022,2019") == [2019, 2022]
    with pytest.raises(ValueError):
        parse_years("2015-2016")


def test_cli_bad_arguments_are_one_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "corpora", "build", "--years", "1990", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr and "2019-2022" in run.stderr


def test_calpae_corpus_build_command(tmp_path):
    from calpae.cli import main

    assert (
        main(
            [
                "corpus",
                "build",
                "--departements",
                "1",
                "--years",
                "2021",
                "--scan",
                "none",
                "--out",
                str(tmp_path),
                "--quiet",
            ]
        )
        == 0
    )
    assert len(list(tmp_path.glob("*.pdf"))) == 4 == len(list(tmp_path.glob("*.truth.json")))


def test_bundled_samples_match_generator():
    """corpora/samples is exactly what the documented command makes, and stays small."""
    files = sorted(SAMPLES.glob("*.truth.json"))
    if not files:
        pytest.skip("corpora/samples not built yet: python -m corpora build --out corpora/samples")
    assert sum(p.stat().st_size for p in SAMPLES.iterdir() if p.is_file()) <= 3_000_000
    for p in files:
        doc = json.loads(p.read_text(encoding="utf-8"))
        assert (SAMPLES / doc["file"]).exists()
    assert set(LAYOUT_OPTIONS) >= {"scan", "split"}


def test_calpae_number_parser_reads_every_amount_back(corpus):
    """Every amount the corpus prints is read back to its truth value by calpae's own parser."""
    from calpae.extract import parse_number

    for name, doc in truths(corpus).items():
        for item in [*doc["budget_cells"], *doc["prose_amounts"]]:
            parsed = parse_number(item["raw"])
            assert parsed is not None and parsed.value == Decimal(item["amount"]), (name, item["raw"])
            assert parsed.malformed == bool(item.get("malformed")), (name, item["raw"])
