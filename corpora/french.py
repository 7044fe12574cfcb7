"""Amounts written the several French ways the real documents use (1.002.884,00 €, 1 936 652 €, - €, k€, M€)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"

# style -> (thousands separator, always two decimals)
_PLAIN_STYLES = {
    "dot": (".", False),  # 59.000 €, 156.111,20 €
    "dot_dec": (".", True),  # 1.002.884,00 €
    "space": (" ", False),  # 1 936 652 €
    "space_dec": (" ", True),  # 1 936 652,00 €
    "nbsp": (NBSP, False),  # 1 936 652 € with no-break spaces
}
STYLES = (*_PLAIN_STYLES, "keur", "meur")
SCALES = {"keur": Decimal(1000), "meur": Decimal(1_000_000)}


def _group(digits: str, sep: str) -> str:
    """Insert a thousands separator every three digits from the right."""
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def _fixed(value: Decimal, places: int) -> tuple[str, str]:
    """Integer and fractional digit strings of |value| rounded to `places`."""
    q = abs(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(q, "f")
    whole, _, frac = text.partition(".")
    return whole, frac


def fits_style(value: Decimal, style: str) -> bool:
    """Whether `value` is shown exactly by `style` (k€ keeps one decimal, M€ two)."""
    if style == "keur":
        return (value / SCALES["keur"]) == (value / SCALES["keur"]).quantize(Decimal("0.1"))
    if style == "meur":
        return (value / SCALES["meur"]) == (value / SCALES["meur"]).quantize(Decimal("0.01"))
    return True


def format_french(value: Decimal, style: str = "space", dash_zero: bool = False) -> str:
    """Write `value` (euros) in one French style; `dash_zero` writes zero as `- €`."""
    value = Decimal(value)
    if dash_zero and value == 0:
        return "- €"
    sign = "-" if value < 0 else ""
    if style in SCALES:
        scaled = value / SCALES[style]
        whole, frac = _fixed(scaled, 1 if style == "keur" else 2)
        frac = frac.rstrip("0")
        unit = "k€" if style == "keur" else "M€"
        return f"{sign}{_group(whole, ' ')}{',' + frac if frac else ''} {unit}"
    if style == "malformed":
        whole, frac = _fixed(value, 2)
        return f"{sign}{_group(whole, '.')}.{frac} €"
    sep, always_dec = _PLAIN_STYLES[style]
    whole, frac = _fixed(value, 2)
    space = NBSP if style == "nbsp" else " "
    show_frac = always_dec or frac != "00"
    return f"{sign}{_group(whole, sep)}{',' + frac if show_frac else ''}{space}€"
