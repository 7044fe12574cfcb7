"""Page images of the report: each PDF page used rendered once (pypdfium2), its cells highlighted (Pillow).

One PNG file per document page used; finding and table pages show a window of it (CSS), so no page is
rendered or stored twice however many findings point into it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from calpae.report.model import Box

RENDER_SCALE = 2.0  # pixels per PDF point (144 dpi): table figures stay legible in a crop
PNG_COLORS = 64  # a page quantized to this many colours (fast octree): ~70 KB at RENDER_SCALE, text sharp,
# 5x faster to write than WebP at the same size (benchmarks/report.py)
OUTLINE_PX = 3  # width of a highlight's outline, drawn inside the cell so neighbours' outlines never overlap

# part of a cell in a finding -> (outline RGB, fill RGB + opacity 0-255); a cell in several findings takes the
# first of this order
MARK_STYLES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int, int]]] = {
    "declared": ((214, 39, 40), (255, 60, 60, 70)),
    "other": ((31, 119, 180), (70, 140, 255, 60)),
    "part": ((230, 159, 0), (255, 200, 0, 60)),
}
MARK_ORDER = tuple(MARK_STYLES)


@dataclass
class PageMarks:
    """The cells to highlight on one page of one document, by part (declared, other, part)."""

    document_id: str
    page: int
    marks: dict[tuple[float, float, float, float], str] = field(default_factory=dict)

    def add(self, box: Box, part: str) -> None:
        key = box.key()
        old = self.marks.get(key)
        if old is None or MARK_ORDER.index(part) < MARK_ORDER.index(old):
            self.marks[key] = part


@dataclass
class PageImage:
    """A rendered page: its file (relative to the report's root) and its size in PDF points."""

    path: str
    width_pt: float
    height_pt: float


def missing_file(path: Path | str | None) -> str:
    return f"le fichier {path} est introuvable (déplacé ou supprimé depuis l'extraction)"


def image_name(document_id: str, page: int) -> str:
    return f"img/{document_id}-p{page}.png"


def _draw(img, marks: dict[tuple[float, float, float, float], str], scale: float):
    """The page (RGB) with each marked cell tinted and outlined; declared cells drawn last, on top."""
    from PIL import Image, ImageDraw

    draw = ImageDraw.Draw(img)
    for (x0, top, x1, bottom), part in sorted(marks.items(), key=lambda kv: -MARK_ORDER.index(kv[1])):
        outline, fill = MARK_STYLES[part]
        box = tuple(int(round(v * scale)) for v in (x0, top, x1, bottom))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        region = img.crop(box)
        img.paste(Image.blend(region, Image.new("RGB", region.size, fill[:3]), fill[3] / 255), box)
        draw.rectangle(box, outline=outline, width=OUTLINE_PX)
    return img


def render_pages(
    sources: dict[str, Path],
    pages: dict[tuple[str, int], PageMarks],
    out_dir: Path,
    scale: float = RENDER_SCALE,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[tuple[str, int], PageImage], dict[str, str]]:
    """Render every page asked for once, each document opened once. Returns the images by (document, page) and,
    per document that could not be rendered, why (the report says so instead of a crop)."""
    import pypdfium2 as pdfium
    from PIL import Image

    images: dict[tuple[str, int], PageImage] = {}
    problems: dict[str, str] = {}
    by_doc: dict[str, list[int]] = {}
    for doc_id, page in sorted(pages):
        by_doc.setdefault(doc_id, []).append(page)
    (out_dir / "img").mkdir(parents=True, exist_ok=True)
    for doc_id, numbers in by_doc.items():
        path = sources.get(doc_id)
        if path is None or not path.is_file():
            problems[doc_id] = missing_file(path)
            continue
        try:
            pdf = pdfium.PdfDocument(str(path))
        except Exception as exc:  # a file replaced by something else since the run
            problems[doc_id] = f"le fichier {path} ne s'ouvre plus comme un PDF ({type(exc).__name__})"
            continue
        try:
            for number in numbers:
                if not 1 <= number <= len(pdf):
                    continue
                page = pdf[number - 1]
                width, height = page.get_size()
                img = _draw(page.render(scale=scale).to_pil().convert("RGB"), pages[(doc_id, number)].marks, scale)
                name = image_name(doc_id, number)
                img.quantize(PNG_COLORS, method=Image.Quantize.FASTOCTREE).save(out_dir / name, "PNG")
                images[(doc_id, number)] = PageImage(name, width, height)
                page.close()
        finally:
            pdf.close()
        if progress is not None:
            progress(f"  {path.name}: {len(numbers)} page(s)")
    return images, problems
