"""The import contracts (pyproject.toml, [tool.importlinter]) hold on the tree, and fail on a back-import."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
STAGES = "calpae's stages import downwards only"
EXTRACT = "calpae.extract's layers import downwards only"
FACE = "outside calpae.extract, only its public face is imported"

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (pip install -e '.[dev]')"
)


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports run on the packages under `tree` with the project's contracts."""
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _verdicts(output: str) -> dict[str, str]:
    return dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", output, re.M))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of calpae/, corpora/ and pyproject.toml, to break on purpose."""
    dest = tmp_path_factory.mktemp("tree")
    for name in ("calpae", "corpora"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "samples"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def _add_import(tree: Path, module: str, statement: str) -> Path:
    path = tree / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = tree / module.replace(".", "/") / "__init__.py"
    path.write_text(path.read_text() + f"\n{statement}\n")
    return path


def test_the_tree_keeps_every_contract(tree):
    out = _lint(tree)
    assert _verdicts(out.stdout) == {STAGES: "KEPT", EXTRACT: "KEPT", FACE: "KEPT"}, out.stdout + out.stderr
    assert out.returncode == 0


def test_a_back_import_between_extract_layers_breaks_the_contract(tree):
    path = _add_import(tree, "calpae.extract.numbers.core", "from calpae.extract.tables import found  # noqa")
    try:
        out = _lint(tree)
    finally:
        path.write_text(path.read_text().replace("\nfrom calpae.extract.tables import found  # noqa\n", ""))
    assert out.returncode == 1
    assert _verdicts(out.stdout) == {STAGES: "KEPT", EXTRACT: "BROKEN", FACE: "KEPT"}
    assert "calpae.extract.numbers is not allowed to import calpae.extract.tables" in out.stdout


def test_a_stage_importing_a_later_one_and_an_extract_internal_break_the_contracts(tree):
    path = _add_import(tree, "calpae.classify.head", "from calpae.extract.ocr import engine  # noqa")
    back = _add_import(tree, "calpae.referential.normalize", "import calpae.store  # noqa")
    try:
        out = _lint(tree)
    finally:
        path.write_text(path.read_text().replace("\nfrom calpae.extract.ocr import engine  # noqa\n", ""))
        back.write_text(back.read_text().replace("\nimport calpae.store  # noqa\n", ""))
    assert out.returncode == 1
    assert _verdicts(out.stdout) == {STAGES: "BROKEN", EXTRACT: "KEPT", FACE: "BROKEN"}
    assert "calpae.referential is not allowed to import calpae.store" in out.stdout
    assert "calpae.classify.head -> calpae.extract.ocr.engine" in out.stdout


def test_benchmarks_use_only_the_public_face_of_extract():
    imports = {
        f"{path.name}: {m.group(0)}"
        for path in sorted((ROOT / "benchmarks").glob("*.py"))
        for m in re.finditer(r"^\s*(?:from|import) calpae\.extract\.\w+.*$", path.read_text(), re.M)
    }
    assert imports == set()
