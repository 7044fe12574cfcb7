"""Writing numbers the French ways (the corpus generator and the property tests use it)."""

from __future__ import annotations

from decimal import Decimal

FRENCH_STYLES = ("dot", "space", "nbsp", "narrow", "compact", "plain", "k", "M", "millions", "percent")
_STYLE_SEP = {
    "space": " ",
    "nbsp": "\u00a0",
    "narrow": "\u202f",
    "plain": " ",
    "percent": " ",
    "k": " ",
    "M": " ",
    "millions": " ",
}


def _group(digits: str, sep: str) -> str:
    """'1936652' -> '1 936 652' with the given thousands separator."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[k : k + 3] for k in range(head, len(digits), 3)]
    return sep.join(parts)


def _fr(value: Decimal, sep: str, decimals: int | None) -> str:
    """A Decimal in French digits: grouped integer part, comma decimals (exact when decimals is None)."""
    neg = value < 0
    value = abs(value)
    if decimals is None:
        text = format(value.normalize(), "f") if value else "0"
    else:
        text = format(value.quantize(Decimal(1).scaleb(-decimals)), "f")
    head, _, frac = text.partition(".")
    out = _group(head, sep) + ("," + frac if frac else "")
    return ("-" if neg else "") + out


def format_french(value: Decimal, style: str, decimals: int | None = None) -> str:
    """Write an amount as French documents do: 'dot' 1.002.884,00 €, 'space'/'nbsp'/'narrow' 1 936 652 €,
    'compact' 1936652 €, 'plain' 650 732, 'k' 12 k€, 'M' 35,5 M€, 'millions' 49,3 millions d'euros,
    'percent' 50,6 %.

    Money styles show cents when the value is written with some (or `decimals` digits when given); k/M/millions and
    percent write the exact value with as many decimals as needed.
    """
    value = Decimal(value)
    if style in ("dot", "space", "nbsp", "narrow", "compact", "plain"):
        if decimals is None:
            exponent = value.as_tuple().exponent
            written_cents = isinstance(exponent, int) and exponent < 0  # Decimal("1002884.00") keeps its cents
            decimals = 2 if written_cents or value != value.to_integral_value() else 0
        sep = {"dot": ".", "compact": ""}.get(style, _STYLE_SEP.get(style, " "))
        text = _fr(value, sep, decimals)
        if style == "plain":
            return text
        gap = _STYLE_SEP.get(style, " ")
        return f"{text}{gap}€"
    if style == "k":
        return f"{_fr(value / 1000, ' ', decimals)} k€"
    if style == "M":
        return f"{_fr(value / 10**6, ' ', decimals)} M€"
    if style == "millions":
        return f"{_fr(value / 10**6, ' ', decimals)} millions d'euros"
    if style == "percent":
        return f"{_fr(value, ' ', decimals)} %"
    raise ValueError(f"unknown French number style {style!r}; expected one of {', '.join(FRENCH_STYLES)}")
