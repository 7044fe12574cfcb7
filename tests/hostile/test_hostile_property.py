"""Property: real PDFs and archives, truncated, with bytes flipped or members renamed, never break the contract.

Whatever the mutation, the scan and every document's processing return (no exception), each input ends as
exactly one stored row, one named copy or one ignored file, a failed row says why, and the rows go into the
database. OCR is off: a mutated page without text would only cost time, the contract is the same.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calpae.batch.inputs import iter_inputs
from calpae.batch.plan import plan
from calpae.batch.progress import Progress
from calpae.batch.tasks import BatchSummary, commit
from calpae.batch.worker import process_item
from calpae.store import RunStore
from calpae.store.run import document_rows

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = (
    sorted((ROOT / "corpora" / "samples").glob("*-rapport_execution.pdf"))[:3]
    + sorted((ROOT / "corpora" / "samples").glob("*-deliberation.pdf"))[:2]
)
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mutate(data: bytes, cut: float | None, flips: list[tuple[float, int]]) -> bytes:
    out = bytearray(data)
    for where, value in flips:
        out[int(where * (len(out) - 1))] = value
    if cut is not None:
        out = out[: int(cut * len(out))]
    return bytes(out)


mutations = st.tuples(
    st.one_of(st.none(), st.floats(0.0, 1.0)),
    st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
member_names = st.one_of(
    st.sampled_from(["a.pdf", "../x.pdf", "/abs.pdf", "dir/b.PDF", "c.txt", "d.zip", "e.docx", "f", "g.pdf.pdf"]),
    st.text(min_size=1, max_size=12).map(lambda s: s.replace("\x00", "") + ".pdf"),
)


def run_contract(path: Path, tmp: Path) -> BatchSummary:
    """Scan, plan and process `path` in this process; check the contract on every item."""
    workdir = tmp / "work"
    workdir.mkdir(exist_ok=True)
    items = list(iter_inputs([str(path)], workdir))
    todo = plan(items, {})
    summary = todo.summary
    assert len(todo.tasks) + len(summary.duplicates) + sum(summary.ignored.values()) == len(items)
    with RunStore(tmp / "out", write_json=True) as store:
        for task in todo.tasks:
            ext = process_item(task.item, task.sha, timeout=60, ocr="never")
            doc = ext.document
            assert doc.source == task.item.source
            assert doc.status in ("ok", "partial", "failed")
            if doc.status != "ok":
                assert doc.errors and all(isinstance(e, str) and e for e in doc.errors)
            commit(store, [document_rows(ext, with_json=True)], summary, Progress(quiet=True))
        n = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert summary.processed == len(todo.tasks) == n
    return summary


@pytest.mark.skipif(not SAMPLES, reason="corpora/samples holds no PDF")
@SETTINGS
@given(sample=st.sampled_from(SAMPLES), mutation=mutations)
def test_mutated_pdfs_keep_the_contract(sample: Path, mutation, tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("pdf")
    path = tmp / sample.name
    path.write_bytes(mutate(sample.read_bytes(), *mutation))
    summary = run_contract(path, tmp)
    assert summary.processed == 1


@pytest.mark.skipif(not SAMPLES, reason="corpora/samples holds no PDF")
@SETTINGS
@given(
    names=st.lists(member_names, min_size=1, max_size=4),
    mutation=mutations,
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_mutated_archives_keep_the_contract(names, mutation, method, tmp_path_factory) -> None:
    tmp = tmp_path_factory.mktemp("zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are among the cases
        for k, name in enumerate(names):
            zf.writestr(name, SAMPLES[k % len(SAMPLES)].read_bytes())
    path = tmp / "archive.zip"
    path.write_bytes(mutate(buf.getvalue(), *mutation))
    run_contract(path, tmp)
