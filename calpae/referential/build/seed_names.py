"""One-off helper: pull indicator names out of the 2022 instruction's text export (annexes 7 and 9) to check the data.

Used while building data/indicators.json and by the tests; never at run time.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    return " ".join(_TAG.sub("", text).replace("*", " ").split()).strip(" :")


def _between(lines: list[str], start: str, end: str) -> list[str]:
    i = next(k for k, ln in enumerate(lines) if start in ln)
    j = next(k for k, ln in enumerate(lines) if k > i and end in ln)
    return lines[i + 1 : j]


def annexe7_names(text: str) -> list[str]:
    """Indicator names listed in bold at the head of each chapter of annexe 7."""
    block = _between(text.splitlines(), "ANNEXE 7 : GUIDE", "ANNEXE 8 : MODELE")
    names = []
    for ln in block:
        m = re.fullmatch(r"\s*<b>(.*)</b>\s*", ln)
        if m:
            name = _clean(m.group(1)).split(" : En commentaire")[0]
            names.append(name)
    return names


def annexe9_rows(text: str) -> list[tuple[str, str]]:
    """(measure cell, indicator cell) of every row of the annexe-9 table that names an indicator."""
    block = _between(text.splitlines(), "ANNEXE 9 - TABLEAU", "ANNEXE 10 - TABLEAU")
    rows: list[tuple[str, str]] = []
    for ln in block:
        if "\t" not in ln or ln.startswith("Mesures\t"):
            continue
        cells = ln.split("\t")
        measure, indicator = _clean(cells[0]), _clean(cells[1]) if len(cells) > 1 else ""
        if not indicator and measure and not re.match(r"^\d+(\.\d+)*\.? ", measure):
            indicator, measure = measure, ""  # a row shifted one cell left in the export
        if indicator:
            rows.append((measure, indicator))
    return rows


if __name__ == "__main__":
    from calpae.referential import load_referential

    ref = load_referential()
    src = Path(sys.argv[1]).read_text(encoding="utf-8")
    for name in annexe7_names(src) + [i for _, i in annexe9_rows(src)]:
        print(ref.match_indicator(name, parent_id=None), "|", name)
