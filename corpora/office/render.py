"""LibreOffice headless: DOCX/XLSX to PDF, and the page of every row mark read back from the PDF.

Writer bookmarks become PDF named destinations (`ExportBookmarksToPDFDestination`); Calc has no bookmarks, so
each row carries a cell note exported as a PDF text annotation (`ExportNotes`), read for its page and then
removed from the PDF. Both give the page LibreOffice actually laid the row on, whatever the fonts and wraps did.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

SOFFICE_TIMEOUT_S = 900  # one conversion run, all files of one kind of a corpus
INSTALL_HINT = "LibreOffice is needed to build the office family: run `sh scripts/ensure-libreoffice.sh`"


def soffice() -> str | None:
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _filter(kind: str) -> str:
    if kind == "docx":
        opts = {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"}}
        return "pdf:writer_pdf_Export:" + json.dumps(opts, separators=(",", ":"))
    opts = {"ExportNotes": {"type": "boolean", "value": "true"}}
    return "pdf:calc_pdf_Export:" + json.dumps(opts, separators=(",", ":"))


def convert(sources: Iterable[Path], outdir: Path, kind: str) -> None:
    """Convert every source (all .docx or all .xlsx) to PDF in `outdir`, in one LibreOffice run."""
    exe = soffice()
    if exe is None:
        raise RuntimeError(INSTALL_HINT)
    files = [str(p) for p in sources]
    if not files:
        return
    with tempfile.TemporaryDirectory(prefix="calpae-lo-") as profile:
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            _filter(kind),
            "--outdir",
            str(outdir),
            *files,
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S)
    missing = [f for f in files if not (outdir / (Path(f).stem + ".pdf")).exists()]
    if done.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice failed on {', '.join(missing) or files[0]}: {done.stderr.strip()[-400:]}")


def _pdf(path: Path):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    fh = open(path, "rb")
    doc = PDFDocument(PDFParser(fh))
    return fh, doc, list(PDFPage.create_pages(doc))


def named_destinations(path: Path) -> dict[str, int]:
    """Named destination -> 1-based page (Writer bookmarks exported by LibreOffice)."""
    from pdfminer.pdftypes import resolve1

    fh, doc, pages = _pdf(path)
    try:
        page_of = {p.pageid: i for i, p in enumerate(pages, 1)}
        out: dict[str, int] = {}
        dests = resolve1(doc.catalog.get("Dests")) or {}
        for name, dest in dests.items():
            dest = resolve1(dest)
            if isinstance(dest, dict):
                dest = resolve1(dest.get("D"))
            if dest and getattr(dest[0], "objid", None) in page_of:
                out[str(name)] = page_of[dest[0].objid]
        return out
    finally:
        fh.close()


def note_marks(path: Path) -> dict[str, int]:
    """Text annotation contents -> first 1-based page it is on (Calc cell notes exported by LibreOffice)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    fh, _, pages = _pdf(path)
    try:
        out: dict[str, int] = {}
        for number, page in enumerate(pages, 1):
            for annot in resolve1(page.annots) or []:
                annot = resolve1(annot)
                contents = annot.get("Contents")
                if getattr(annot.get("Subtype"), "name", None) == "Text" and contents:
                    text = decode_text(contents) if isinstance(contents, bytes) else str(contents)
                    out.setdefault(text.strip(), number)
        return out
    finally:
        fh.close()


def strip_annotations(path: Path) -> None:
    """Remove every annotation (the row notes) from the PDF, in place."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            for i in reversed(range(raw.FPDFPage_GetAnnotCount(page.raw))):
                raw.FPDFPage_RemoveAnnot(page.raw, i)
            page.close()
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".pdf", delete=False) as tmp:
            pdf.save(tmp.name)
    finally:
        pdf.close()
    Path(tmp.name).replace(path)


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def text_export(pdf: Path, target: Path) -> None:
    """What `pdftotext -layout` gives (pages separated by form feeds), as a department's text export would be."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError(
            "pdftotext (poppler-utils) is needed for the text exports: run scripts/ensure-libreoffice.sh"
        )
    subprocess.run([exe, "-layout", "-enc", "UTF-8", str(pdf), str(target)], check=True, timeout=120)
