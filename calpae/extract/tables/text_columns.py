"""The header of a table in a monospace text export (pdftotext -layout), read by character columns: each header
phrase goes to the amount column it stands over, so a header stacked over several lines ('Part État' / '2019' beside
'Prévisionnel 2019' / 'Part Département') is read column by column, not line by line."""

from __future__ import annotations

import re

PHRASE = re.compile(r"\S+(?: \S+)*")  # words one space apart: a cell's text on one line (columns are set wider)


def _spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in PHRASE.finditer(text)]


def _amount_spans(line: str, amounts: list[str]) -> list[tuple[int, int]] | None:
    """Character spans of a line's trailing amounts, found right to left."""
    out: list[tuple[int, int]] = []
    end = len(line.rstrip())
    for raw in reversed(amounts):
        at = line.rfind(raw, 0, end)
        if at < 0:
            return None
        out.append((at, at + len(raw)))
        end = at
    return list(reversed(out))


def column_header(header: list[str], rows: list[tuple[str, list[str]]], n: int) -> list[str] | None:
    """n + 1 header texts (label column, then each amount column) from header lines and amount rows (line text,
    raw amounts) by character position; None when the amounts do not line up in n columns or a column gets no
    header phrase."""
    columns: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for line, amounts in rows:
        spans = _amount_spans(line, amounts) if len(amounts) == n else None
        if spans is None:
            continue
        for k, span in enumerate(spans):
            columns[k].append(span)
    if not all(columns):
        return None
    bounds = [(min(a for a, _ in col), max(b for _, b in col)) for col in columns]
    if any(b[0] <= a[1] for a, b in zip(bounds, bounds[1:], strict=False)):
        return None
    texts: list[list[str]] = [[] for _ in range(n + 1)]
    for line in header:
        for a, b, phrase in _spans(line):
            if b <= bounds[0][0] - 1:
                texts[0].append(phrase)
                continue
            centre = (a + b) / 2
            k = min(range(n), key=lambda k: abs((bounds[k][0] + bounds[k][1]) / 2 - centre))
            texts[k + 1].append(phrase)
    if not all(texts[1:]):
        return None
    return [" ".join(t) for t in texts]
