"""The layout options of one office document, drawn per seed and document so a small corpus meets every option."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

# fonts as an office author names them; LibreOffice draws Calibri with Carlito, Arial with Liberation Sans,
# Times New Roman with Liberation Serif, Cambria with Caladea (metric-compatible), DejaVu Sans as itself
FONTS = ("Calibri", "Arial", "Times New Roman", "DejaVu Sans", "Liberation Serif", "Cambria")
BORDERS = ("grid", "horizontal", "outer", "none")  # all rules, horizontal rules only, a box only, no rule
AMOUNT_STYLES = ("space_dec", "space", "dot_dec", "nbsp", "dot")
VALIGNS = ("center", "top", "bottom")  # cells' vertical alignment: Word's default is top, Excel's bottom


@dataclass(frozen=True)
class OfficeLayout:
    """How one office document is drawn (all of it recorded in its truth, `document.layout`)."""

    family: str = "office"
    source: str = "docx"  # docx (Writer) | xlsx (Calc)
    font: str = "Calibri"
    cell_font_size: float = 8.0  # points, table cells
    borders: str = "grid"
    header_lines: int = 1  # header lines of indicator and recap tables (stacked headers when > 1)
    narrow: bool = False  # narrow value columns: words and numbers wrap inside cells, mid-word
    merged: bool = True  # measure cells span their indicator rows; theme and Chorus cells span their actions
    repeat_header: bool = True  # header lines repeated on every page a table runs over
    landscape_recap: bool = False  # the report ends with the 16-column execution recap, landscape
    split_tables: bool = False  # the report ends with a long detail table over several pages
    stamps: bool = True  # ACTES block in the page header
    running: bool = True  # running header and page numbers
    amount_style: str = "space_dec"
    dash_zero: bool = True  # zero printed "- €"
    columns_orientation: bool = False  # forecast tables with the parts as columns
    valign: str = "center"  # table cells' vertical alignment (center, top, bottom): a row's cells of one line and
    # of several then share no line (a centred amount between two label lines, header cells ending at one bottom)
    scan: bool = False
    text_export: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def choose_office_layout(k: int, doc_type: str, seed: int) -> OfficeLayout:
    """The k-th document's layout: options cycle with k (offset by the seed) so every value appears, the rest
    is drawn from the seed."""
    rng = random.Random(f"{seed}-office-layout-{k}")
    j = k // 4 + k % 4 + seed
    source = "xlsx" if doc_type == "tableau_financier" and j % 3 != 1 else "docx"
    return OfficeLayout(
        source=source,
        font=FONTS[j % len(FONTS)],
        cell_font_size=rng.choice((7.0, 7.5, 8.0, 9.0)),
        borders=BORDERS[(j // 2 + seed) % len(BORDERS)] if source == "docx" else rng.choice(("grid", "grid", "outer")),
        header_lines=1 + (j + k // 7) % 3,
        narrow=j % 3 != 0,
        merged=j % 4 != 3,
        repeat_header=rng.random() < 0.8,
        landscape_recap=doc_type == "rapport_execution" and j % 2 == 0,
        split_tables=doc_type == "rapport_execution" and (j // 2) % 2 == 1,
        stamps=j % 5 != 4,
        running=j % 4 != 2,
        # a workbook prints numbers through its own French number format
        amount_style="space_dec" if source == "xlsx" else AMOUNT_STYLES[(j + seed) % len(AMOUNT_STYLES)],
        dash_zero=rng.random() < 0.6,
        columns_orientation=(k // 4) % 2 == 1,
        valign=VALIGNS[(k + seed) % len(VALIGNS)],  # no draw from rng: the other choices stay as they were
    )
