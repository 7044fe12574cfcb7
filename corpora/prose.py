"""The prose family of the generator: reports written as running text (no tables), one per département and year,
with the truth of every fact they state in the format of the hand-written answer keys
(tests/expectations/prose/*.json) and the arithmetic defects planted in their sentences.

    python -m corpora prose --departements 3 --years 2019-2021 --seed 7 --out DIR

Each document is a `.txt` (text input: provenance gives the line) and a `.truth.json` beside it.
"""

from __future__ import annotations

import json
import random
import textwrap
from dataclasses import asdict
from pathlib import Path

from corpora.names import departements
from corpora.prose_parts import fiche, noted_shares, partner_action, perspectives
from corpora.prose_templates import ACTIONS, NBSP, TEMPLATES, Ctx, Written

SENTENCES_PER_SECTION = (3, 7)  # drawn per section
SECTIONS = ("Accès aux droits", "Insertion", "Enfance et familles", "Logement", "Formation", "Mobilité", "Budget")
WIDTH = 96  # characters per line: paragraphs wrap as in a text export of a word processor
SCHEMA = "calpae-prose-truth/1"
PLAN_SHARE = 0.4  # documents that plan the year (fiches actions of a convention or avenant) rather than report on it
PLAN_TITLES = (
    "Convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi {year}",
    "Avenant {year} à la convention d'appui à la lutte contre la pauvreté et d'accès à l'emploi",
)


def _pick_templates(rng: random.Random, n: int):
    weighted = [t for t, w in TEMPLATES for _ in range(w)]
    return [rng.choice(weighted) for _ in range(n)]


def _wrap(paragraph: str) -> list[tuple[int, str]]:
    """(offset in the paragraph, line) of the wrapped lines; figures keep their no-break spaces whole."""
    lines = textwrap.wrap(paragraph, WIDTH, break_long_words=False, break_on_hyphens=False)
    out, pos = [], 0
    for line in lines:
        start = paragraph.index(line, pos)
        out.append((start, line))
        pos = start + len(line)
    return out


def build_document(dept, year: int, seed: int) -> tuple[str, dict]:
    """The text of one document and its truth: a report on the year (sections of sentences, with perspectives,
    partners' actions and noted shares), or a plan for it (a convention's or avenant's fiches actions)."""
    rng = random.Random(f"{seed}-{dept.code}-{year}-prose")
    ctx = Ctx(rng, year, dept.name)
    lines: list[str] = [f"Département : {dept.name}"]
    facts: list[dict] = []
    defects: list[dict] = []
    if rng.random() < PLAN_SHARE:
        lines += [rng.choice(PLAN_TITLES).format(year=year), f"Année {year}", "Fiches actions", ""]
        for k, action in enumerate(rng.sample(ACTIONS, rng.randint(2, 4)), start=1):
            _lay_blocks(fiche(ctx, k, action), lines, facts, defects)
    else:
        title = rng.choice(("Rapport d'exécution", "Bilan", "Rapport d'activité"))
        lines += [f"{title} {year} de la stratégie de lutte contre la pauvreté", ""]
        sections = rng.sample(SECTIONS, rng.randint(3, len(SECTIONS)))
        for k, name in enumerate(sections, start=1):
            lines += [f"{k}. {name}", ""]
            written = [t(ctx) for t in _pick_templates(rng, rng.randint(*SENTENCES_PER_SECTION))]
            blocks: list = [("para", para) for para in _paragraphs(written, rng)]
            for part, share in ((noted_shares, 0.25), (partner_action, 0.3), (perspectives, 0.3)):
                if rng.random() < share:
                    blocks += part(ctx)  # each closes its section: a partner's title or 'Perspectives' hold to its end
                    break
            _lay_blocks(blocks, lines, facts, defects)
    truth = {
        "schema": SCHEMA,
        "departement_code": dept.code,
        "document_year": year,
        "facts": facts,
        "defects": defects,
    }
    return "\n".join(lines) + "\n", truth


def _lay_blocks(blocks: list, lines: list[str], facts: list[dict], defects: list[dict]) -> None:
    """Lines of a part: titles between blank lines, a title glued under the paragraph before it, paragraphs."""
    for kind, item in blocks:
        if kind == "glued" and lines and lines[-1] == "":
            lines[-1] = item  # right under the paragraph before, no blank line between
            lines.append("")
        elif kind in ("line", "glued"):
            lines += [item, ""]
        else:
            _lay_out(item, lines, facts, defects)
            lines.append("")


def _paragraphs(written: list[Written], rng: random.Random) -> list[list[Written]]:
    """Sentences grouped in paragraphs of one to three."""
    out, k = [], 0
    while k < len(written):
        size = rng.randint(1, 3)
        out.append(written[k : k + size])
        k += size
    return out


def _lay_out(para: list[Written], lines: list[str], facts: list[dict], defects: list[dict]) -> None:
    """Append the wrapped paragraph and the truth of its facts (line where each figure starts)."""
    text, spans = "", []
    for w in para:
        if text:
            text += " "
        start = len(text)
        text += w.text
        spans.append((start, w))
    first_line = len(lines) + 1
    wrapped = _wrap(text)
    lines.extend(line for _, line in wrapped)
    starts = [off for off, _ in wrapped]
    for start, w in spans:
        pos = start
        for fact in w.facts:
            at = text.lower().index(fact.written.lower(), pos)
            pos = at + len(fact.written)
            line_no = first_line + max(k for k, off in enumerate(starts) if off <= at)
            item = asdict(fact)
            written = item.pop("written")
            item["anchor"] = written.replace(NBSP, " ")
            item["value"] = format(item["value"].normalize(), "f")
            item["line"] = line_no
            item["budget"] = (
                {"part": item.pop("part"), "stage": item.pop("stage")} if item["kind"] == "budget" else None
            )
            item.pop("part", None)
            item.pop("stage", None)
            facts.append(item)
        for kind in w.defects:
            declared = _declared_fact(kind, facts[len(facts) - len(w.facts) :])
            defects.append({"kind": kind, "line": declared["line"]})


def _declared_fact(kind: str, facts: list[dict]) -> dict:
    """The fact a defect is reported on: the stated change of a difference, the stated total of a sum."""
    if kind == "prose_difference":
        return next(f for f in facts if f["kind"] == "change")
    return facts[0]


def build_prose_corpus(out: Path, departements_count: int, years: list[int], seed: int) -> list[Path]:
    """Write every report and its truth into `out`; deterministic for a seed."""
    out.mkdir(parents=True, exist_ok=True)
    pool = list(departements())
    chosen = sorted(
        random.Random(f"{seed}-prose").sample(pool, min(departements_count, len(pool))), key=lambda d: d.code
    )
    written = []
    for dept in chosen:
        for year in years:
            text, truth = build_document(dept, year, seed)
            stem = f"{dept.actes_code}-{year}-prose"
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
            truth["file"] = f"{stem}.txt"
            (out / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
            written.append(out / f"{stem}.txt")
    return written
