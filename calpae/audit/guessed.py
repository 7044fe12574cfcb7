"""Figures read under a meaning nobody wrote. A budget amount's stage and part come from the words of its column
header or its row label; where neither names them, the reader gave a default (the table's stage, the `total` part)
or took them from a neighbour. The figure is in a record, but what it is was guessed: one `meaning_guessed` warning
per table lists them, so a reader's guess is said, not passed on as data.

Guessed, for one amount:
- its column has no header;
- its header and row label name neither stage nor part, in a table none of whose columns does;
- its header and row label name no part (État, Département, other funders, total) in a table whose other columns
  of the same stage name parts, unless the reader made it the total of its row's parts (a 'Montants' column
  beside 'Part État' and 'Part CD', which the audit's sums check). A header lettered after the annexe-10 model
  ('C Crédits…') says its meaning through the model;
- its header and row label do not name both its stage and part, and another amount of its row was read with the
  same year, stage and part (two columns cannot both be the État's 2020 credits: a header's words were lost or
  shared out wrong; two valorisation columns, one planned and one spent, each named, are not a guess);
- its cell was read unsure (OCR's low confidence or readings that disagree, a text export's piece of an amount or
  header-less column) and no sum that holds confirms it: where the reader doubted the figure, it doubted its row
  and column too;
- in a table whose headers carry the annexe-10 model's letters (A…F), its stage and part are not those the model
  gives its column (by its letter, or by its name): the header's words the reader followed were glued from another
  column's ('F Budget global de l'action … réalisé' over a planned total); a letter after a merged cell's word
  ('Financement C Dont CD') counts; a column the model does not place, read with the meaning the model gives one
  other column of the table (not a 'Dont …' share), or with a meaning the model gives no column of its kind of
  table (execution or forecast: 'd'autres financeurs' read as executed), is in doubt too;
- its row has no label, a label that tore 'Sous' from 'total', or, on a scan, a label holding words no French word
  list nor the referential knows: what the amount is the money of was not read, or misread;
- on a scan, its row's label begins in lower case, or the row below's does, unless a column sum that holds places
  it: OCR cut one wrapped label in two rows ('Maillage territorial du' / 'premier accueil'), and the amounts of the
  two rows may sit in either;
- its row label holds an amount (thousands grouped, or cents): cells of the row were glued into its label;
- its header says the same two words twice ('B Crédits État A Crédits État'): two columns' headers glued in one.
A label that is 'total' in lower case tore it from its 'Sous' too (unless its amount is the sum of the rows between
it and the total row above: the sub-total it says), and so did one that begins so and names two rows of its table
('total 0304 … - Garantie d'activité' twice: rows the reader did not tell apart).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import pairwise

from calpae.audit.grids import line_tables
from calpae.audit.ocr import confirmed_cells
from calpae.budget.arith import Grid, column_checks
from calpae.budget.lines import CARRIED
from calpae.budget.meaning import (
    MIN_LETTERED_COLUMNS,
    annexe_columns,
    column_letters,
    names_allocation,
    part_words,
    stage_words,
)
from calpae.extract import lexicon
from calpae.extract.settings import OCR_TABLE
from calpae.models import BudgetLine, CellRef, Document, Extraction, Finding, IndicatorValue
from calpae.referential import load_referential
from calpae.textnorm import fold

NO_HEADER = "(no header)"
# a row label holding 'Sous' and 'total' torn apart (the label ends on 'Sous', or 'total' stands after other words
# with no 'sous' before it): the labels of two rows were glued ('Référents de parcours Sous' / 'total BRSA'), so
# the row's amounts carry the label of another
_TORN_TOTAL = re.compile(r"\bsous$|^.*\S.*(?<!sous )(?<!sous-)\btotal\b(?!.*\bsous\b)")
# 'total 4.1', 'total': a label that is 'total' in lower case and no word, its 'Sous' torn off to the row above
_LOWER_TOTAL = re.compile(r"\s*total\b(?!.*[^\W\d_])")
_TOTAL_FIRST = re.compile(r"\s*total\b")  # 'total 0304 … - Garantie d'activité': a label that begins so
HEADER_WORD = re.compile(r"[^\W\d_]{2,}")
LABEL_WORD = re.compile(r"[^\W\d_]{3,}")  # a word of a label the word lists are asked about
NAMED_PARTS = frozenset({"etat", "departement", "other"})  # parts a row label names (not 'Sous total': a level)


def _said(text: str, header: bool) -> bool:
    """Whether a header or a row label names a stage or a part."""
    return bool(text.strip()) and (stage_words(text, header=header) is not None or part_words(text, header) is not None)


def _stage_said(line: BudgetLine) -> bool:
    return (
        stage_words(line.column_label, line.year, header=True) is not None
        or names_allocation(line.column_label)
        or stage_words(line.row_label, line.year) is not None
    )


def _part_said(line: BudgetLine) -> bool:
    return part_words(line.column_label, True) is not None or part_words(line.row_label) in NAMED_PARTS


# an amount in a row label ('Sous 162.500 22.', '114451,58'): thousands grouped, or cents; the row's cells were glued
# into its label, so which amount is whose is a guess
_AMOUNT_IN_LABEL = re.compile(r"(?<![\d.,])\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d*)?(?!\d)|\d+,\d{2}(?!\d)")


def _two_headers(header: str) -> bool:
    """A header that says the same two words twice ('B Crédits État A Crédits État 2021…'): the headers of two
    columns glued in one, so which of them the amount's column is was guessed."""
    words = HEADER_WORD.findall(fold(header))
    pairs = list(zip(words, words[1:], strict=False))
    return len(set(pairs)) < len(pairs)


_FIRST_WORD = re.compile(r"(?<![\w])[^\W\d_]+")  # a word standing alone ('1er' is no word)
_CONTINUING = frozenset({"dont"})  # a sub-row's label begins in lower case on purpose ('dont valorisation')


def _continues(label: str) -> bool:
    """A row label whose first word is in lower case: the end of the label of the row above, cut from it
    ('inconditionnel de proximité', 'jeunes majeurs')."""
    m = _FIRST_WORD.search(label)
    return m is not None and m.group()[0].islower() and fold(m.group()) not in _CONTINUING


def _split_rows(lines: list[BudgetLine]) -> set[int]:
    """Rows of a label the reader cut in two: a row whose label begins in lower case and the row above it, whose
    amounts may sit in the other half's row."""
    labels = {ln.row: ln.row_label for ln in lines if ln.row is not None}
    rows = sorted(labels)
    out: set[int] = set()
    for i, r in enumerate(rows):
        if not _continues(labels[r]):
            continue
        if i > 0 and _two_actions(labels[rows[i - 1]], labels[r]):
            continue  # two rows of their own actions: the lower-case words are a merged theme cell's, beside them
        out.update(rows[max(0, i - 1) : i + 1])
    return out


# a fiche number before its action's title ('2.1 Formation', '22 Maillage' whose dot OCR lost), not a piece of a
# Chorus code ('0304 50 19 19 03 - 1er')
_FICHE = re.compile(r"(?<![\d.,])([1-9])\.?([1-9])\s+(?=[A-ZÀ-Ý][a-zà-ÿ])")


def _two_actions(upper: str, lower: str) -> bool:
    """Two row labels that each hold a fiche number, not the same one: each row is an action's, not half of one."""
    a, b = _FICHE.search(upper), _FICHE.search(lower)
    return a is not None and b is not None and a.groups() != b.groups()


class _TableWords:
    """What the column headers of one table name: stages, parts other than the total, lettered headers."""

    def __init__(self, lines: list[BudgetLine], year: int | None = None, title: str = "") -> None:
        headers = list(dict.fromkeys(ln.column_label for ln in lines))
        self.says = any(_said(h, True) for h in headers)
        # stages whose columns are split by part in this table ('Montant à reporter – Part CD')
        self.split = {ln.stage for ln in lines if part_words(ln.column_label, True) in NAMED_PARTS}
        # stages of which the table holds parts, named or not: a total no word names among them is a default
        self.parted = {ln.stage for ln in lines if ln.part in NAMED_PARTS}
        self.lettered = {h for h, letter in zip(headers, column_letters(headers), strict=True) if letter}
        self.split_rows = _split_rows(lines)
        self.meanings: dict[tuple, int] = defaultdict(int)
        for ln in lines:
            self.meanings[(ln.row, ln.year, ln.stage, ln.part)] += 1
        self.model = _model_meanings(lines)
        self.glued_from = _glued_from(lines)
        # rows per label: two rows of one label ('total 0304 … - Garantie d'activité' twice) were not told apart
        self.labels = Counter(label for _, label in {(ln.row, ln.row_label) for ln in lines})
        self.year = year  # the one year the document is of (its period), if one
        self.title = title  # the table's title
        # years of the table's amounts that are not a 'Dont …' share of another column nor carried from or to a year
        self.shares = _shares()
        self.dated = {ln.year for ln in lines if ln.stage not in CARRIED and (ln.stage, ln.part) not in self.shares}

    def year_unsaid(self, line: BudgetLine) -> bool:
        """The amount's year is not the year of its document, of one year, and neither its header, its row label
        nor its table's title names it: the reader took it from a neighbour ('Montant à reporter en 2020' over an
        execution of 2019 read as 2020's)."""
        if line.year is None or self.year is None or line.year == self.year:
            return False
        said = str(line.year)
        return said not in line.column_label and said not in line.row_label and said not in self.title

    def share_year(self, line: BudgetLine) -> bool:
        """A 'Dont …' share (a part of another column's amount: 'Dont valorisation de dépenses du CD') read as of a
        year no amount it could be a share of has: its header took the year of a neighbour's ('… à reporter en
        2020')."""
        if line.year is None or line.stage in CARRIED or (line.stage, line.part) not in self.shares:
            return False
        return bool(self.dated - {None}) and line.year not in self.dated

    def after_glued(self, line: BudgetLine) -> bool:
        """The amount's column is at or after a header that holds two of the model's letters: two headers glued
        in one, so each column from there on may carry its right-hand neighbour's header."""
        return self.glued_from is not None and line.col is not None and line.col >= self.glued_from

    def off_model(self, line: BudgetLine) -> bool:
        """The amount's stage and part are not those the annexe-10 model gives its column (by the column's letter,
        or by its name in a lettered table): the header's own words, which the reader followed, were glued from
        another column's ('F Budget global de l'action … réalisé')."""
        want = self.model.get(line.col) if line.col is not None else None
        return want is not None and want != (line.stage, line.part)

    def collides(self, line: BudgetLine) -> bool:
        """Another amount of the same row was read with the same year, stage and part: one of them is misplaced."""
        return line.row is not None and self.meanings[(line.row, line.year, line.stage, line.part)] > 1


# a letter of the annexe-10 model inside a header, after a word of a merged cell above ('Financement C Dont CD')
_INNER_LETTER = re.compile(r"(?<![\w+])([A-F])\s+[^\W\d_]{2}")
_TAKEN = ("another column's", "meaning")  # no amount is read with this: always off the model


def _shares() -> set[tuple[str, str]]:
    """Meanings of the model's 'Dont …' columns: a share of another column, which several columns may hold (the
    financing's 'Dont valorisation CD' and the execution's)."""
    ref = load_referential()
    return {
        (c.stage, c.part or "total") for c in ref.financial_columns.values() if c.stage and _DONT.match(fold(c.name))
    }


def _model_set(executes: bool) -> set[tuple[str, str]]:
    """Every (stage, part) the model gives a column of an execution table, or of a forecast."""
    table = "execution" if executes else "previsionnel"
    columns = load_referential().financial_columns.values()
    return {(c.stage, c.part or "total") for c in columns if c.stage and table in c.tables}


_DONT = re.compile(r"\s*dont\b")


def _glued_from(lines: list[BudgetLine]) -> int | None:
    """In a table whose headers carry the annexe-10 model's letters, the first column whose header holds two of
    them one after the other, each before a word ('D Crédits E CD 2021 Participatio…'): the headers of two
    neighbouring columns read as one."""
    headers: dict[int, str] = {}
    for ln in lines:
        if ln.col is not None:
            headers.setdefault(ln.col, ln.column_label)
    letters = {c: [m.group(1) for m in _INNER_LETTER.finditer(h)] for c, h in headers.items()}
    if len({x for found in letters.values() for x in found}) < MIN_LETTERED_COLUMNS:
        return None
    # two neighbours' headers read left to right: their letters in the model's order, one after the other
    return next((c for c in sorted(letters) if any(ord(b) - ord(a) == 1 for a, b in pairwise(letters[c]))), None)


def _model_meanings(lines: list[BudgetLine]) -> dict[int, tuple[str, str]]:
    """Column index → the (stage, part) the annexe-10 model gives it, in a table whose headers carry the model's
    letters (A…F) at least three times; columns the model does not place are left out."""
    headers: dict[int, str] = {}
    for ln in lines:
        if ln.col is not None:
            headers.setdefault(ln.col, ln.column_label)
    cols = sorted(headers)
    labels = [headers[c] for c in cols]
    letters = column_letters(labels)
    if not any(letters):
        return {}
    used = set(letters)
    for k, (label, letter) in enumerate(zip(labels, letters, strict=True)):
        found = None if letter else _INNER_LETTER.search(label)
        if found is not None and found.group(1) not in used:
            labels[k] = label[found.start(1) :]  # 'Financement C Dont CD': the merged 'Financement' cell's word first
            used.add(found.group(1))
    executes = any(stage_words(h, header=True) == "executed" for h in labels)
    out: dict[int, tuple[str, str]] = {
        c: (stage, part or "total")
        for c, (stage, part) in zip(cols, annexe_columns(labels, executes), strict=True)
        if stage is not None
    }
    # a column the model does not place, read with the meaning the model gives another column ('Monta total au es
    # 019' read as the planned total beside column F): two columns cannot both be it
    once = Counter(out.values())
    taken = {m for m, n in once.items() if n == 1} - _shares()
    modelled = _model_set(executes)
    for ln in lines:
        if (
            ln.col is not None
            and ln.col not in out
            and ((ln.stage, ln.part) in taken or (ln.stage, ln.part) not in modelled)
        ):
            out[ln.col] = _TAKEN
    return out


def guessed(line: BudgetLine, table_says: bool) -> bool:
    """A table amount whose column has no header, or whose header and row label say neither stage nor part in a
    table none of whose columns does (a 'Montants' column beside 'Part État' and 'Part CD' is their total)."""
    if line.origin != "table" or line.amount is None:
        return False
    if not line.column_label.strip():
        return True
    return not table_says and not _said(line.column_label, True) and not _said(line.row_label, False)


def half_guessed(
    line: BudgetLine,
    words: _TableWords,
    confirmed: frozenset[int] = frozenset(),
    placed: frozenset[int] = frozenset(),
    summed: frozenset[int] = frozenset(),
) -> str | None:
    """Why a table amount's meaning was half guessed: its part not named while the table's columns of its stage
    name theirs (unless it is read as its row's total, which the sums check), read as another amount of its row
    is, read from a cell the reader was unsure of, or in a row whose label is missing, glued or misread."""
    if line.origin != "table" or line.amount is None:
        return None
    modelled = line.column_label in words.lettered  # the annexe-10 model's letter says stage and part (two
    # columns read alike are still a wrong match of letters)
    unnamed = not modelled and not _part_said(line) and line.role != "total"
    if unnamed and (line.stage in words.split or (line.stage in words.parted and line.part not in NAMED_PARTS)):
        return "part"
    if words.collides(line) and not (_stage_said(line) and _part_said(line)):
        return "same meaning as another column"
    if line.provenance.unsure is not None and id(line) not in confirmed:
        return "unsure"
    if words.off_model(line):
        return "off model"
    if words.year_unsaid(line) or words.share_year(line):
        return "year"
    if not line.row_label.strip():
        return "no row label"
    if _TORN_TOTAL.search(fold(line.row_label).strip()):
        return "glued row label"
    lower = _LOWER_TOTAL.match(line.row_label)
    if (lower or (_TOTAL_FIRST.match(line.row_label) and words.labels[line.row_label] > 1)) and not (
        lower and id(line) in summed
    ):
        return "glued row label"
    if line.provenance.ocr and _misread(line.row_label):
        return "misread row label"
    if (
        line.provenance.ocr
        and line.row is not None
        and line.row in words.split_rows
        and id(line) not in placed | summed
    ):
        return "split row label"
    if _AMOUNT_IN_LABEL.search(line.row_label) and id(line) not in confirmed:
        return "amount in row label"
    if _two_headers(line.column_label) or words.after_glued(line):
        return "glued headers"
    return None


def _segment_sums(g: Grid) -> list[tuple[int, int]]:
    """(row, column) of each total row's amount that is the sum of the rows between it and the total row above: a
    sub-total that holds (a 'total' row the grid took for the grand total, its 'Sous' torn off, included). It says
    what the total row is, not what its rows' labels are."""
    out = []
    last = -1
    for t, total in enumerate(g.is_total):
        if not total:
            continue
        segment = [r for r in range(last + 1, t) if not g.is_total[r]]
        last = t
        for c in range(len(g.col_roles)):
            parts = [v for r in segment if (v := g.values[r][c]) is not None]
            if parts and g.values[t][c] is not None and sum(parts, Decimal(0)) == g.values[t][c]:
                out.append((t, c))
    return out


def _misread(label: str) -> bool:
    """An OCR'd label holding words no French word list or the referential knows ('Patelonie-dorientation',
    'nrnvimit'), but for pieces of a word OCR cut in two: OCR misread it, and what the amounts are the money of is
    a guess."""
    words = re.findall(r"[^\W\d_]+", label)
    unknown = [w for w in LABEL_WORD.findall(label) if not lexicon.known(w.lower())]
    unknown = [w for w in unknown if not _split_word(w, words)]
    return len(unknown) >= OCR_TABLE.label_unknown_words


def _split_word(word: str, words: list[str]) -> bool:
    """An unknown word that makes a known one glued to its neighbour ('en gagements', 's ocle'): OCR put a space in
    a word it read right, no misreading."""
    for k, w in enumerate(words):
        if w != word:
            continue
        before = words[k - 1] + w if k > 0 else ""
        after = w + words[k + 1] if k + 1 < len(words) else ""
        if (before and lexicon.known(before.lower())) or (after and lexicon.known(after.lower())):
            return True
    return False


def _cell(line: BudgetLine) -> CellRef:
    p = line.provenance
    return CellRef(
        part="other",
        table_id=line.table_id,
        page=p.page,
        line=p.line,
        bbox=p.bbox,
        value=line.amount,
        label=f"{line.row_label} / {line.column_label or NO_HEADER}",
    )


# what each kind of doubt says of the amounts, in the order the message gives them
_REASONS = (
    ("all", "sit in columns whose header names no stage and no part"),
    ("part", "sit in columns whose header names no part where the table's columns of their stage do"),
    ("same meaning as another column", "were read with the stage and part of another amount of their row"),
    ("unsure", "were read from cells the reader was unsure of"),
    ("off model", "sit in columns whose header's words name another stage or part than the annexe-10 model gives it"),
    (
        "year",
        "were read as of a year other than their document's that no header, label or title names, or as a "
        "share of a year none of the table's amounts is of",
    ),
    ("no row label", "sit in rows whose label was not read"),
    ("glued row label", "sit in rows whose label glued words of two rows ('Sous' / 'total' apart)"),
    ("misread row label", "sit in rows whose OCR'd label holds words no word list knows"),
    ("split row label", "sit in rows of a label cut in two (one half begins in lower case: the rows were misplaced)"),
    ("amount in row label", "sit in rows whose label holds an amount (cells glued into the label)"),
    (
        "glued headers",
        "sit in columns whose header says the same words twice, or at or after a header holding two of "
        "the model's letters (two headers glued)",
    ),
)


def _message(lines: list[BudgetLine], why: dict[int, str], where: str, title: str) -> str:
    columns = sorted({ln.column_label or NO_HEADER for ln in lines})
    meanings = sorted({f"{ln.stage}/{ln.part}" for ln in lines})
    named = ", ".join(repr(c) for c in columns[:4]) + ("…" if len(columns) > 4 else "")
    kinds = set(why.values())
    said = "; or ".join(reason for kind, reason in _REASONS if kind in kinds)
    return (
        f"{len(lines)} amounts of the table on {where}{title} {said} ({named}): calpae read them as "
        f"{', '.join(meanings)} by default; check what they are by hand"
    )


def guessed_findings(ext: Extraction) -> list[Finding]:
    """One warning per table with amounts whose stage or part were guessed, naming each of them."""
    tables: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in ext.budget_lines:
        if line.origin == "table":
            tables[line.table_id].append(line)
    doc = ext.document
    titles = {t.id: t.title for t in doc.tables}
    confirmed = frozenset(
        id(ln)
        for lt in line_tables([ln for ln in ext.budget_lines if ln.provenance.unsure is not None or ln.provenance.ocr])
        for r, c in confirmed_cells(lt)
        if (ln := lt.line(r, c)) is not None
    )
    placed = frozenset(
        id(ln)
        for lt in line_tables([ln for ln in ext.budget_lines if ln.provenance.ocr])
        for chk in column_checks(lt.grid)
        if chk.holds
        for r in (chk.row, *chk.parts)
        if (ln := lt.line(r, chk.col)) is not None
    )
    # the total rows of column sums that hold: a row labelled 'total', its 'Sous' torn off, that sums the rows
    # above it is the sub-total it says
    summed = frozenset(
        id(ln)
        for lt in line_tables([ln for ln in ext.budget_lines if ln.origin == "table"])
        for r, c in _segment_sums(lt.grid)
        if (ln := lt.line(r, c)) is not None
    )
    one_year = int(doc.period) if doc.period and doc.period.isdigit() else None
    out = []
    for table_id, table_lines in tables.items():
        words = _TableWords(table_lines, one_year, titles.get(table_id) or "")
        # a table of one amount column under a caption naming its stage ('détail des dépenses réalisées'): the
        # caption says what its 'Montant' column is, the total of each row
        one_column = len({ln.col for ln in table_lines}) == 1
        lines: list[BudgetLine] = []
        why: dict[int, str] = {}
        for line in table_lines:
            says = words.says or (one_column and stage_words(titles.get(table_id) or "") == line.stage)
            kind = "all" if guessed(line, says) else half_guessed(line, words, confirmed, placed, summed)
            if kind is not None:
                lines.append(line)
                why[id(line)] = kind
        if not lines:
            continue
        where = _pages([ln.provenance.page for ln in lines])
        title = f" ('{titles[table_id]}')" if titles.get(table_id) else ""
        out.append(_warning(doc, lines[0], _message(lines, why, where, title), table_id, [_cell(ln) for ln in lines]))
    return out


def _pages(pages: list[int | None]) -> str:
    """'page 3' or 'pages 3, 4' of a table's doubtful figures ('its table' when none is known)."""
    known = sorted({p for p in pages if p is not None})
    return f"page{'s' if len(known) > 1 else ''} {', '.join(map(str, known))}" if known else "its table"


def _warning(
    doc: Document, first: BudgetLine | IndicatorValue, message: str, table_id: str | None, cells: list[CellRef]
) -> Finding:
    """The meaning_guessed warning of one table, placed at its first doubtful figure."""
    return Finding(
        provenance=first.provenance,
        departement_code=doc.departement_code,
        section=first.section,
        check="meaning_guessed",
        severity="warning",
        message=message,
        table_id=table_id,
        cells=cells,
    )


# --- indicator values ------------------------------------------------------------------------------------------

RATE_MAX = 100  # percent: a rate (its unit '%' or its label 'Taux …') above this was misread or is not the rate
_RATE_LABEL = re.compile(r"^\s*(?:taux|pourcentage|part des)\b|%")


def _indicator_doubt(v: IndicatorValue, earliest: int | None, own_year: int | None = None) -> str | None:
    """Why an indicator value's meaning is in doubt, from its table's own evidence, or None. A year inferred from the
    neighbouring columns that is the year of the document's own period (a report's 'Résultat atteint' right of the
    last year's results) is said twice: no doubt."""
    if v.provenance.inferred and (own_year is None or v.year != own_year):
        return "year inferred"
    if v.value_kind == "baseline" and v.year is not None and earliest is not None and v.year > earliest:
        return "late baseline"
    rate = v.unit == "%" or bool(_RATE_LABEL.search(fold(v.indicator_label)))
    if rate and v.value is not None and abs(v.value) > RATE_MAX:
        return "rate over 100"
    return None


_INDICATOR_REASONS = (
    (
        "late baseline",
        "were read as the baseline (situation de départ) of a year after another value of their "
        "indicator: a baseline comes first, so their column's year or kind was misread",
    ),
    ("rate over 100", "are rates above 100 %: the figure or its row was misread"),
    (
        "year inferred",
        "stand in a column whose header prints no year (lost by OCR, or never written): calpae gave the year the "
        "table's other columns imply",
    ),
)


def indicator_guessed_findings(ext: Extraction) -> list[Finding]:
    """One warning per table with indicator values whose meaning its own other values contradict, naming each."""
    by_indicator: dict[tuple[str | None, str], list[IndicatorValue]] = defaultdict(list)
    for v in ext.indicator_values:
        if v.origin == "table" and v.value is not None:
            by_indicator[(v.table_id, v.indicator_id or fold(v.indicator_label))].append(v)
    doubtful: dict[str | None, list[tuple[IndicatorValue, str]]] = defaultdict(list)
    period = ext.document.period
    own_year = int(period) if period and period.isdigit() else None
    for (table_id, _), values in by_indicator.items():
        earliest = min((v.year for v in values if v.year is not None), default=None)
        for v in values:
            if (why := _indicator_doubt(v, earliest, own_year)) is not None:
                doubtful[table_id].append((v, why))
    doc = ext.document
    out = []
    for table_id, found in doubtful.items():
        where = _pages([v.provenance.page for v, _ in found])
        kinds = {why for _, why in found}
        said = "; or ".join(reason for kind, reason in _INDICATOR_REASONS if kind in kinds)
        how = sorted({v.provenance.inferred for v, _ in found if v.provenance.inferred})
        if how:
            said += f" ({'; '.join(how)})"
        message = f"{len(found)} indicator values of the table on {where} {said}; check them by hand"
        cells = [
            CellRef(
                part="other",
                table_id=v.table_id,
                page=v.provenance.page,
                line=v.provenance.line,
                bbox=v.provenance.bbox,
                value=v.value,
                label=f"{v.indicator_label} / {v.year} {v.value_kind}",
            )
            for v, _ in found
        ]
        out.append(_warning(doc, found[0][0], message, table_id, cells))
    return out
