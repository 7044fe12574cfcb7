"""Start-up: each command imports what it runs and no more, small inserts store what Arrow inserts store, and the
fork server leaves its workers nothing to import."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from calpae.cli import BUILTIN_COMMANDS, STAGE_COMMANDS, build_parser, stage_modules
from calpae.store.db import VALUES_ROWS_PER_STATEMENT, arrow_table, connect

ROOT = Path(__file__).resolve().parent.parent
# `calpae extract` runs through the batch runner (one worker, its deadline and memory cap: issue 14), not its end phase;
# spaCy loads in the sibling parser process, never in the driver
HEAVY = ("pandas", "pyarrow", "calpae.reconcile", "corpora", "spacy")


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_the_command_table_names_what_each_module_registers():
    for module in set(STAGE_COMMANDS.values()):
        parser = argparse.ArgumentParser()
        importlib.import_module(module).register(parser.add_subparsers())
        assert _commands(parser) == {c for c, m in STAGE_COMMANDS.items() if m == module}, module


def test_help_and_unknown_commands_see_every_command():
    every = set(BUILTIN_COMMANDS) | set(STAGE_COMMANDS)
    assert _commands(build_parser()) == every
    assert _commands(build_parser(["--help"])) == every
    assert _commands(build_parser(["-h", "batch"])) == every
    assert _commands(build_parser(["batch", "-h"])) == set(BUILTIN_COMMANDS) | {"batch"}
    assert _commands(build_parser(["no-such-command"])) == every
    assert _commands(build_parser(["extract", "a.pdf"])) == set(BUILTIN_COMMANDS)
    assert _commands(build_parser(["--version"])) == set(BUILTIN_COMMANDS)
    assert stage_modules(["dataset", "--db", "x"]) == ["calpae.reconcile.cli"]


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_extract_imports_neither_pandas_nor_pyarrow_nor_the_other_stages(tmp_path):
    doc = tmp_path / "rapport.txt"
    doc.write_text(
        "Rapport d'exécution 2021 du Département du Lot.\n\n"
        "Mesure\tPart État\tPart Département\tTotal\nRepérage\t10 000\t5 000\t15 000\n"
        "Le dispositif a accompagné 152 jeunes en 2021.\n",
        encoding="utf-8",
    )
    code = (
        "import json, sys\nfrom calpae.cli import main\n"
        "rc = main(['extract', sys.argv[1], '--out', sys.argv[2], '--quiet'])\n"
        f"print(json.dumps([rc, [m for m in {HEAVY!r} if m in sys.modules]]))"
    )
    res = _run(code, str(doc), str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    rc, loaded = json.loads(res.stdout.strip().splitlines()[-1])
    assert rc == 0 and loaded == []
    assert (tmp_path / "out" / "indicator_values.csv").read_text(encoding="utf-8").count("\n") >= 2


def test_the_batch_command_starts_before_importing_its_runner():
    code = (
        "import sys\nfrom calpae.cli import build_parser\n"
        "build_parser(['batch', 'in', '--db', 'x.duckdb']).parse_args(['batch', 'in', '--db', 'x.duckdb'])\n"
        "print('calpae.batch.runner' in sys.modules, 'calpae.store' in sys.modules)"
    )
    res = _run(code)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["False", "False"]


def test_values_and_arrow_inserts_store_the_same(tmp_path):
    columns = ("document_id", "page", "amount", "is_total", "share", "label")
    types = ["VARCHAR", "INTEGER", "DECIMAL(38,6)", "BOOLEAN", "DOUBLE", "VARCHAR"]
    rows = [
        ["a", 1, Decimal("1234.5"), True, 0.25, "Repérage"],
        ["b", None, Decimal("0.0000005"), False, None, None],  # half-even: 0.000000
        ["c", 3, Decimal("0.0000015"), None, 1e-7, "l’été"],  # half-even: 0.000002
        ["d", 4, Decimal("-99999999999999999999.1234567"), True, -3.5, ""],
        ["e", 5, None, False, 2.0, "x" * 300],
    ]
    assert VALUES_ROWS_PER_STATEMENT < 600
    rows += [[f"r{i:04d}", i, Decimal(i) / 7, i % 3 == 0, i / 3, f"ligne {i}"] for i in range(600)]  # 3 statements
    con = connect(tmp_path / "t.duckdb")
    for table in ("by_values", "by_arrow"):
        cols = ", ".join(f'"{c}" {t}' for c, t in zip(columns, types, strict=True))
        con.execute(f'CREATE TABLE "{table}" ({cols})')
    con.insert_values("by_values", columns, types, rows)
    con.insert_arrow("by_arrow", arrow_table(columns, types, rows), columns=columns)
    by_values = con.execute('SELECT * FROM "by_values" ORDER BY document_id').fetchall()
    by_arrow = con.execute('SELECT * FROM "by_arrow" ORDER BY document_id').fetchall()
    con.close()
    assert by_values == by_arrow and len(by_values) == 605
    assert [r[2] for r in by_values[:5]] == [
        Decimal("1234.500000"),
        Decimal("0.000000"),
        Decimal("0.000002"),
        Decimal("-99999999999999999999.123457"),
        None,
    ]


# what loading spaCy's pipeline imports beside spaCy itself: calpae's loader, and numpy.random (thinc's)
SPACY_LOADS = ("calpae.nlp", "calpae.regex_cache", "numpy.random")


def test_workers_forked_from_the_preloaded_server_import_nothing_more_than_spacy(tmp_path):
    sample = sorted((ROOT / "corpora" / "samples").glob("*-rapport_execution.pdf"))[0]
    code = (
        "import json, sys\nfrom pathlib import Path\nimport calpae.batch.preload\n"
        "from calpae.batch.worker import process_item\nfrom calpae.batch.inputs import InputItem\n"
        "from calpae.store.run import document_rows\n"
        "before = set(sys.modules)\n"
        "ext = process_item(InputItem(source=sys.argv[1], path=Path(sys.argv[1])), None, 120, 'never')\n"
        "document_rows(ext)\n"
        "new = sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ('calpae', 'pdfplumber', 'pdfminer',"
        f" 'pypdfium2', 'numpy', 'PIL') and not m.startswith({SPACY_LOADS!r}))\n"
        "spacy = ['spacy' in before, 'spacy' in sys.modules]\n"
        "print(json.dumps([ext.document.status, len(ext.budget_lines), new, *spacy]))"
    )
    res = _run(code, str(sample))
    assert res.returncode == 0, res.stderr
    status, lines, new, spacy_before, spacy_after = json.loads(res.stdout.strip().splitlines()[-1])
    assert status == "ok" and lines > 10
    assert new == []
    # spaCy loads in the worker when a document's prose needs it, not in the server before the first document
    assert (spacy_before, spacy_after) == (False, True)


# In a fresh process: the prose analysis of each seed document by the sibling parser process (this process never
# loads spaCy), then in place; both dumped as JSON for the comparison.
SIBLING_VS_IN_PLACE = """
import json, sys
from pathlib import Path
from calpae import parser_process
from calpae.extract import read_document
from calpae.indicators import prose
from calpae.pipeline import analyse_document

def records(ext):
    return ext.model_dump(mode="json", exclude={"document"})

assert prose.start_parser_process() and parser_process.running()
docs = [read_document(Path(p)) for p in sys.argv[1:]]
by_sibling = [records(analyse_document(d.model_copy(deep=True))) for d in docs]
loaded_here = prose.nlp.cache_info().currsize
parser_process.stop()
in_place = [records(analyse_document(d.model_copy(deep=True))) for d in docs]
print(json.dumps({"loaded_here": loaded_here, "same": by_sibling == in_place,
                  "prose": sum(v["origin"] == "prose" for r in in_place for v in r["indicator_values"]),
                  "amounts": sum(len(r["amounts"]) for r in in_place)}))
"""


@pytest.mark.slow  # the five seed texts through every stage, twice
def test_the_sibling_parser_process_gives_the_records_of_the_in_place_parse(seed):
    from conftest import SEED_FILES

    res = _run(SIBLING_VS_IN_PLACE, *(str(seed(n)) for n in SEED_FILES))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["loaded_here"] == 0  # the sibling parsed: this process had not loaded spaCy
    assert out["same"] is True
    assert out["prose"] > 100 and out["amounts"] > 20


def test_a_dead_sibling_parser_process_leaves_the_parse_to_this_process(tmp_path):
    doc = tmp_path / "rapport.txt"
    doc.write_text("Rapport 2021 du Département du Lot.\n\nLe dispositif a accompagné 152 jeunes en 2021.\n", "utf-8")
    code = (
        "import json, os, signal, sys\nfrom pathlib import Path\nfrom calpae import parser_process\n"
        "from calpae.extract import read_document\nfrom calpae.indicators import prose\n"
        "from calpae.pipeline import analyse_document\n"
        "assert prose.start_parser_process()\nos.kill(parser_process._sibling.pid, signal.SIGKILL)\n"
        "ext = analyse_document(read_document(Path(sys.argv[1])))\n"
        "print(json.dumps([[str(v.value) for v in ext.indicator_values], parser_process.running(),"
        " prose.nlp.cache_info().currsize]))"
    )
    res = _run(code, str(doc))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.strip().splitlines()[-1]) == [["152"], False, 1]


def test_spacy_loads_without_its_command_line_package():
    code = (
        "import json, sys\nfrom calpae.nlp import import_spacy, load_pipeline\n"
        "nlp = load_pipeline(exclude=['ner', 'lemmatizer', 'senter'])\nwithout = 'spacy.cli' in sys.modules\n"
        "import spacy\ninfo = spacy.info()\n"
        "print(json.dumps([without, nlp.pipe_names, 'spacy.cli' in sys.modules, sorted(info)[:1]]))"
    )
    res = _run(code)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout.strip().splitlines()[-1]) == [
        False,
        ["tok2vec", "morphologizer", "parser", "attribute_ruler"],
        True,  # spacy.info() imported it when called
        ["location"],
    ]
