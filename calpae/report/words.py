"""The report's French: names of checks, document types and roles, amounts, and each finding said in words."""

from __future__ import annotations

from decimal import Decimal

from calpae.report.model import Finding

CHECK_NAMES = {
    "total_mismatch": "total faux",
    "part_sum_mismatch": "somme des parts fausse",
    "cross_table_mismatch": "tableaux en désaccord",
    "prose_table_mismatch": "texte et tableau en désaccord",
    "malformed_number": "nombre mal formé",
    "ambiguous_number": "lecture ambiguë",
    "table_unreadable": "tableau illisible",
    "ocr_suspect": "lecture OCR douteuse",
    "reading_suspect": "lecture douteuse de l'export texte",
    "ocr_repaired": "montant OCR reconstitué",
    "restatement": "chiffre modifié d'un document à l'autre",
    "forecast_mismatch": "prévision et réalisation en désaccord",
    "definition_changed": "définition d'indicateur modifiée",
    "unread_figure": "chiffres non lus",
    "table_not_read": "tableau non lu",
    "table_partly_read": "tableau lu en partie",
    "meaning_guessed": "nature du montant devinée",
}
SEVERITY_NAMES = {"error": "erreur", "warning": "avertissement", "info": "information"}
DOC_TYPES = {
    "rapport_execution": "rapport d'exécution",
    "convention": "convention",
    "avenant": "avenant",
    "deliberation": "délibération",
    "pdi_pti": "PDI / PTI",
    "bilan": "bilan",
    "instruction": "instruction",
    "tableau_financier": "tableau financier (annexe 10)",
    "other": "autre",
}
ROLES = {
    "etat": "État",
    "departement": "Département",
    "total": "total",
    "report": "report",
    "valorisation": "valorisation",
    "non_consomme": "non consommé",
    "autre": "autre",
    "other": "autres financeurs",
}
KINDS = {
    "planned": "prévu",
    "allocated": "alloué",
    "carried_in": "reporté de l'an passé",
    "to_carry_over": "à reporter",
    "unspent": "non consommé",
    "forecast": "prévu",
    "executed": "exécuté",
    "baseline": "référence",
    "actual": "réalisé",
    "target": "cible",
    "summary": "récapitulatif",
    "action": "par action",
    "financial_model": "modèle financier",
    "indicateurs": "indicateurs",
}
PARTS = {"declared": "chiffre en cause", "part": "chiffre additionné", "other": "chiffre comparé"}

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def amount(value: Decimal | None, unit: str = "") -> str:
    """1936652.5 → '1 936 652,50' (French grouping, cents only when there are some), '?' for None."""
    if value is None:
        return "?"
    q = Decimal(value).quantize(Decimal("0.01"))
    whole, _, cents = f"{abs(q):,.2f}".partition(".")
    text = whole.replace(",", NBSP) + ("" if cents == "00" else "," + cents)
    text = ("-" if q < 0 else "") + text
    return f"{text}{NBSP}{unit}" if unit else text


def euros(value: Decimal | None) -> str:
    return amount(value, "€")


def percent(ratio: Decimal | float | None) -> str:
    if ratio is None:
        return "—"
    return f"{float(ratio) * 100:.1f}".replace(".", ",") + f"{NBSP}%"


def role_name(role: str) -> str:
    if " / " in role:  # stage / part, once the database has them
        return " / ".join(ROLES.get(p, KINDS.get(p, p)) for p in role.split(" / ") if p)
    return ROLES.get(role, role)


def _other_place(f: Finding) -> str:
    """' (page 3)', or ' (073-2019-rapport_execution.pdf, page 2)' when the other figure is in another document."""
    other = next((c for c in f.cells if c.part == "other"), None)
    if other is None:
        return ""
    where = f"page {other.page}" if other.page else (f"ligne {other.line}" if other.line else "")
    if other.document_id != f.document_id and other.document_name:
        where = f"{other.document_name}, {where}" if where else other.document_name
    return f" ({where})" if where else ""


def figure(f: Finding, value: Decimal | None) -> str:
    """An amount of a finding: in euros, or a plain number for indicator values."""
    return euros(value) if f.is_money else amount(value)


UNREAD_SHOWN = 8  # figures named in the sentence of a grouped unread_figure finding


def _declared_label(f: Finding) -> str:
    cell = next((c for c in f.cells if c.part == "declared" and c.label), None)
    return f"« {cell.label} »" if cell else "ce chiffre"


def _unread(f: Finding) -> str:
    """What calpae did not read: figures of a page (grouped), a table not read or read in part."""
    if f.check == "table_not_read":
        return (
            f"Ce tableau porte {len(f.cells)} chiffres mais calpae n'en a tiré aucun enregistrement : sa mise en page "
            "n'a pas été comprise. Vérifiez-le à la main."
        )
    if f.check == "table_partly_read":
        return f"{len(f.cells)} chiffres de ce tableau ne sont dans aucun enregistrement. Vérifiez-les à la main."
    shown = ", ".join(f"« {c.label} »" for c in f.cells[:UNREAD_SHOWN] if c.label)
    more = f" et {len(f.cells) - UNREAD_SHOWN} autre(s)" if len(f.cells) > UNREAD_SHOWN else ""
    return (
        f"{len(f.cells)} chiffre(s) de cette page ne sont dans aucun enregistrement : {shown}{more}. "
        "calpae ne les a pas lus ; vérifiez-les à la main."
    )


UNREAD_CHECKS = frozenset({"unread_figure", "table_not_read", "table_partly_read"})


def describe(f: Finding) -> str:
    """What disagrees and by how much, in one or two French sentences (the audit's own message stays below)."""
    if f.check in UNREAD_CHECKS:
        return _unread(f)
    gap_value = abs(f.difference) if f.difference is not None else None
    d, c, gap = figure(f, f.declared), figure(f, f.computed), figure(f, gap_value)
    label = _declared_label(f)
    parts = sum(1 for x in f.cells if x.part == "part")
    if f.check == "total_mismatch":
        rows = f"ses {parts} ligne(s)" if parts else "ses lignes"
        return f"Le total {label} déclare {d}, mais {rows} additionnées donnent {c} : écart de {gap}."
    if f.check == "part_sum_mismatch":
        return f"Sur la ligne {label}, le total vaut {d} mais la somme de ses parts donne {c} : écart de {gap}."
    if f.check == "cross_table_mismatch":
        if f.message.startswith("summary row"):
            return (
                f"Le tableau récapitulatif donne {d} pour {label}, mais le tableau de l'action{_other_place(f)} "
                f"donne {c} : écart de {gap}, qu'aucun report n'explique."
            )
        return (
            f"{label} vaut {d} ici, mais {c} dans l'autre exemplaire du même tableau{_other_place(f)} : écart de {gap}."
        )
    if f.check == "prose_table_mismatch":
        return f"Le texte annonce {d}, mais le tableau qui suit{_other_place(f)} totalise {c} : écart de {gap}."
    if f.check == "malformed_number":
        return f"Un montant est mal écrit dans le document ; calpae l'a lu {c}. Vérifiez la lecture sur la page."
    if f.check == "ambiguous_number":
        return (
            "Une ligne se lisait de plusieurs façons ; calpae en a choisi une (détail ci-dessous). "
            "Vérifiez-la sur la page."
        )
    if f.check == "table_unreadable":
        return (
            "La plupart des contrôles de total échouent dans ce tableau : ses colonnes n'ont sans doute pas été "
            "comprises. Aucun total n'y est déclaré faux ; vérifiez-le à la main."
        )
    if f.check == "ocr_suspect":
        return (
            "Page lue par reconnaissance de caractères (OCR) : un contrôle de total y échoue, probablement une "
            "erreur de lecture plutôt qu'une erreur du document. Vérifiez le scan."
        )
    if f.check == "reading_suspect":
        return (
            "Export texte : un contrôle de total y échoue sur une cellule que calpae a lue sans certitude (morceau "
            "de montant, colonne à l'en-tête deviné), probablement une erreur de lecture plutôt qu'une erreur du "
            "document. Vérifiez le document."
        )
    if f.check == "ocr_repaired":
        return (
            "Montant d'une page lue par OCR qui n'est pas celui lu, mais reconstitué pour que les totaux du tableau "
            "tombent juste. Vérifiez le scan."
        )
    if f.check in ("restatement", "forecast_mismatch"):
        what = (
            "la prévision d'une convention ou d'un avenant" if f.check == "forecast_mismatch" else "un autre document"
        )
        return f"Le même chiffre vaut {d} dans ce document mais {c} dans {what}{_other_place(f)} : écart de {gap}."
    if f.check == "definition_changed":
        return (
            "La définition de cet indicateur a changé en cours de série : les années avant et après ne se "
            "comparent pas."
        )
    return f.message
