"""Command-line habits: defaults in every help, --verbose/--quiet and --db everywhere, formats, --pages."""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys

import pytest
from report_run import SAMPLES, report_run

FLAGS = (
    argparse._StoreTrueAction,
    argparse._HelpAction,
    argparse._VersionAction,
    argparse._SubParsersAction,
    argparse._StoreConstAction,
)


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every leaf command of the parser, by its full name ('corpus build')."""
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _commands(sub, f"{prefix}{name} ")
                out.update(nested or {f"{prefix}{name}": sub})
    return out


@pytest.fixture(scope="module")
def commands():
    from calpae.cli import build_parser

    found = _commands(build_parser())
    assert {"extract", "batch", "audit", "report", "explain", "unmapped", "reconcile", "dataset"} <= set(found)
    return found


def test_every_option_help_says_its_default(commands):
    missing = []
    for name, p in commands.items():
        formatter = p._get_formatter()
        for action in p._actions:
            if isinstance(action, FLAGS) or action.required or not action.option_strings and action.nargs is None:
                continue
            if "default" not in formatter._get_help_string(action).lower():
                missing.append(f"{name} {action.option_strings or action.dest}")
    assert missing == []


def test_verbose_quiet_and_db_on_every_command(commands):
    for name, p in commands.items():
        options = set(p._option_string_actions)
        assert {"--verbose", "--quiet", "-v", "-q"} <= options, name
    for name in ("extract", "batch", "audit", "report", "explain", "unmapped", "reconcile", "dataset"):
        assert "--db" in commands[name]._option_string_actions, name
        assert "postgresql://" in commands[name]._option_string_actions["--db"].help, name


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return report_run(tmp_path_factory)


def test_audit_db_json_and_csv(run, capsys):
    from calpae.cli import main

    assert main(["audit", "--db", str(run.db), "--severity", "error", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [f["check"] for f in items] == ["total_mismatch", "cross_table_mismatch", "cross_table_mismatch"]
    first = items[0]
    assert (first["declared"], first["computed"], first["page"]) == ("415000.000000", "412500.000000", 2)
    assert [c["part"] for c in first["cells"]] == ["declared", "part", "part"]
    assert first["cells"][0]["label"] == "Sous total 1 / A Participation État 2019"
    assert main(["audit", "--db", str(run.db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 7 and rows[0]["check"] == "total_mismatch" and rows[0]["bbox"]


def test_audit_table_wraps_to_its_width_and_keeps_every_word(run, capsys):
    from calpae.cli import main

    assert main(["audit", str(run.out), "--severity", "error", "--width", "100"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100 + 40  # only the fixed columns can pass the width
    words = " ".join(lines).split()
    for expected in ("explained", "carry-over)", "[compared", "with:", "p.", "3]"):
        assert expected in words
    assert "…" not in out
    assert lines[-1] == "3 finding(s): 3 error, 0 warning, 0 info"


def test_explain_and_unmapped_as_json(run, capsys):
    from calpae.cli import main

    assert main(["explain", "--db", str(run.db), "73", "ase.jeunes_majeurs", "2019", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(s["value"] for s in data["sources"]) == ["1025", "958"]
    assert data["conflicts"][0]["check"] == "restatement"
    assert main(["unmapped", "--db", str(run.db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"indicator_values", "budget_lines"}
    assert all(set(item) == {"label", "rows", "documents"} for item in data["indicator_values"])


def test_extract_pages_reads_only_those_pages_and_says_so(tmp_path):

    src = SAMPLES / "073-2019-rapport_execution.pdf"
    if not src.exists():
        pytest.skip("corpora/samples not built")
    shutil.copy(src, tmp_path / src.name)
    out = tmp_path / "out"
    # a subprocess: the page lines come from the worker process that reads the document (its stderr is the command's)
    args = ["extract", str(tmp_path / src.name), "--out", str(out), "--pages", "2-3", "-v", "--ocr", "never"]
    done = subprocess.run([sys.executable, "-m", "calpae", *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    err = done.stderr
    assert "page 2/5 lu" in err and "page 3/5 lu" in err and "page 1/5" not in err
    with open(out / "budget_lines.csv", encoding="utf-8") as fh:
        pages = {r["page"] for r in csv.DictReader(fh)}
    with open(out / "indicator_values.csv", encoding="utf-8") as fh:
        pages |= {r["page"] for r in csv.DictReader(fh)}
    assert pages == {"2", "3"}
    with open(out / "documents.csv", encoding="utf-8") as fh:
        doc = next(csv.DictReader(fh))
    assert doc["pages"] == "5" and doc["error"] == "only page(s) 2, 3 of 5 read (--pages)"


def test_extract_refuses_bad_pages(tmp_path, capsys):
    from calpae.cli import main

    assert main(["extract", str(tmp_path), "--pages", "3-1"]) == 2
    assert "--pages: '3-1'" in capsys.readouterr().err
