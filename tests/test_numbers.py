"""French number parser: every format of the seeds, edge cases that are not numbers, lines shaped like table rows."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calpae.extract.numbers.core import readings
from calpae.extract.numbers.find import find_numbers
from calpae.extract.numbers.french import FRENCH_STYLES, format_french
from calpae.extract.numbers.parse import parse_number

D = Decimal
NNBSP, NBSP = "\u202f", "\u00a0"

# (text, value, unit) — formats listed in the issue and found by grepping the seeds.
CELLS = [
    ("59.000 €", D("59000"), "EUR"),
    ("118.000 €", D("118000"), "EUR"),
    ("8.910 €", D("8910"), "EUR"),
    ("1.002.884,00 €", D("1002884.00"), "EUR"),
    ("156.111,20 €", D("156111.20"), "EUR"),
    ("2.733,50 €", D("2733.50"), "EUR"),
    ("194.938,75 €", D("194938.75"), "EUR"),
    ("1 936 652 €", D("1936652"), "EUR"),
    (f"1{NNBSP}936{NNBSP}652{NNBSP}€", D("1936652"), "EUR"),
    (f"1{NBSP}936{NBSP}652{NBSP}€", D("1936652"), "EUR"),
    ("445 209,43 €", D("445209.43"), "EUR"),
    ("100 258€", D("100258"), "EUR"),
    ("46 000€", D("46000"), "EUR"),
    ("362661 €", D("362661"), "EUR"),
    ("10 000  €", D("10000"), "EUR"),
    ("0 €", D("0"), "EUR"),
    ("- €", D("0"), "EUR"),
    ("-   €", D("0"), "EUR"),
    ("1 M€", D("1000000"), "EUR"),
    ("1M€", D("1000000"), "EUR"),
    ("35,5 M€", D("35500000"), "EUR"),
    ("49,3 millions d'euros", D("49300000"), "EUR"),
    ("49,3 millions d’euros", D("49300000"), "EUR"),
    ("12 k€", D("12000"), "EUR"),
    ("2,5 K€", D("2500"), "EUR"),
    ("650 732", D("650732"), None),
    ("73%", D("73"), "%"),
    ("6.6%", D("6.6"), "%"),
    ("49.5 %", D("49.5"), "%"),
    ("50,6 %", D("50.6"), "%"),
    (f"50,6{NBSP}%", D("50.6"), "%"),
    ("+40%", D("40"), "%"),
    ("102%", D("102"), "%"),
    ("**73%**", D("73"), "%"),
    ("3 278", D("3278"), None),
    ("141", D("141"), None),
    ("0,5", D("0.5"), None),
    ("-60 000", D("-60000"), None),
    ("- 1 500 €", D("-1500"), "EUR"),
    ("-100 000 €", D("-100000"), "EUR"),
    ("€ 2 500", D("2500"), "EUR"),
    ("€59.000", D("59000"), "EUR"),
    ("1 000 euros", D("1000"), "EUR"),
    ("50 Euros", D("50"), "EUR"),
    ("1 000 EUR", D("1000"), "EUR"),
    ("<b>67.169 €</b>", D("67169"), "EUR"),
    ("312 (sur 9 mois)", D("312"), None),
    ("<i>312</i> <i>(sur 9 mois)</i>", D("312"), None),
]


@pytest.mark.parametrize(("text", "value", "unit"), CELLS)
def test_cell_formats(text: str, value: Decimal, unit: str | None) -> None:
    p = parse_number(text)
    assert p is not None, text
    assert p.value == value
    assert isinstance(p.value, Decimal)
    assert p.unit == unit
    assert p.qualifier is None
    assert not p.malformed


@pytest.mark.parametrize(
    ("text", "scale"),
    [("1 M€", "M"), ("35,5 M€", "M"), ("12 k€", "k"), ("49,3 millions d'euros", "M"), ("59.000 €", None)],
)
def test_scale_is_reported(text: str, scale: str | None) -> None:
    assert parse_number(text).scale == scale


def test_scaled_value_has_no_spurious_decimal() -> None:
    assert str(parse_number("35,5 M€").value) == "35500000"
    assert str(parse_number("1.002.884,00 €").value) == "1002884.00"  # cents as written are kept


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("NR", "NR"),
        ("NC", "NC"),
        ("Sans Objet", "SO"),
        ("sans objet", "SO"),
        ("SANS OBJET", "SO"),
        ("SO", "SO"),
        ("S.O.", "SO"),
        ("N/A", "NA"),
        ("", "empty"),
        ("   ", "empty"),
        ("<i></i>", "empty"),
        ("-", "empty"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    p = parse_number(text)
    assert p is not None and p.value is None
    assert p.qualifier == qualifier


@pytest.mark.parametrize(
    "text",
    [
        "Job",
        "total",
        "15/04/2020",
        "31/12/2019",
        "2.1.1.",
        "1.1.5.1.",
        "2.1.1",
        "2019-2021",
        "16-18",
        "2018 – 2019",
        "1er",
        "2ème",
        "APJM1",
        "n°1",
        "31 mars",
        "0304 50 19 19 03",
        "05 53 69 40 00",
        "3 278 3 552",
        "30 mesures soit 13 500 €",
        "12 164 € 12 164 €",
        "(sur 9 mois)",
        "1,2,3",
        "12 jeunes accompagnés",
        "€",
        "%",
        "COMINSOEN420_37",
    ],
)
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_malformed_dot_for_thousands_and_decimals() -> None:
    p = parse_number("312.222.40 €")
    assert p.value == D("312222.40") and p.unit == "EUR"
    assert p.malformed and "decimal" in p.message


def test_english_separators_are_read_and_flagged() -> None:
    p = parse_number("1,002,884")
    assert p.value == D("1002884") and p.malformed


@pytest.mark.parametrize(
    ("text", "value", "word", "other"),
    [
        ("13.005 journées", D("13005"), "journées", D("13.005")),
        ("2.879 journées", D("2879"), "journées", D("2.879")),
        ("1.125", D("1125"), None, D("1.125")),
        ("183.017", D("183017"), None, D("183.017")),
        ("20.697 kWh", D("20697"), "kWh", D("20.697")),
    ],
)
def test_single_dot_three_digits_count_is_thousands_but_ambiguous(text, value, word, other) -> None:
    p = parse_number(text)
    assert p.value == value and p.unit is None and p.unit_word == word
    assert p.ambiguous and other in p.alternatives and p.message


def test_single_dot_three_digits_amount_is_certain() -> None:
    p = parse_number("59.000 €")
    assert p.value == D("59000") and not p.ambiguous and p.alternatives == ()


def test_comma_three_digits_is_decimal_but_ambiguous() -> None:
    p = parse_number("1,500")
    assert p.value == D("1.500") and p.ambiguous and D("1500") in p.alternatives


def test_dotted_small_number_without_unit_may_be_a_reference() -> None:
    p = parse_number("2.1")
    assert p.value == D("2.1") and p.ambiguous and "section" in p.message
    assert not parse_number("2.1 %").ambiguous


def test_notes_in_parentheses() -> None:
    assert parse_number("312 (sur 9 mois)").note == "sur 9 mois"
    assert parse_number("251 <i>(1er semestre)</i>").note == "1er semestre"
    assert parse_number("41 %  (estimation)").unit == "%"


def test_years_are_flagged() -> None:
    assert parse_number("2019").is_year
    assert not parse_number("2019 €").is_year
    assert not parse_number("2 019").is_year
    assert not parse_number("1850").is_year


def test_four_group_cell_is_ambiguous() -> None:
    p = parse_number("742 977 542 943")
    assert p.value == D("742977542943") and p.ambiguous and D("542943") in p.alternatives
    assert not parse_number("47 136 000 €").ambiguous  # alone in its cell: one amount


def test_readings_lists_every_cut() -> None:
    assert readings("47 136 000") == [(D("47136000"),), (D("47"), D("136000"))]
    cuts = readings("742 977 542 943")
    assert cuts[0] == (D("742977542943"),)
    assert (D("742977"), D("542943")) in cuts
    assert all(not any(str(v).startswith("0") and v != 0 for v in cut) for cut in cuts)
    assert readings("3 278 3 552")[0] == (D("3278"), D("3552"))
    assert readings("Job 47") == []


# --------------------------------------------------------------------------------------------
# format_french and the round trip
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "text"),
    [
        (D("1002884.00"), "dot", "1.002.884,00 €"),
        (D("59000"), "dot", "59.000 €"),
        (D("1936652"), "space", "1 936 652 €"),
        (D("1936652"), "narrow", f"1{NNBSP}936{NNBSP}652{NNBSP}€"),
        (D("1936652"), "nbsp", f"1{NBSP}936{NBSP}652{NBSP}€"),
        (D("1936652"), "compact", "1936652 €"),
        (D("650732"), "plain", "650 732"),
        (D("12000"), "k", "12 k€"),
        (D("35500000"), "M", "35,5 M€"),
        (D("49300000"), "millions", "49,3 millions d'euros"),
        (D("50.6"), "percent", "50,6 %"),
        (D("-60000"), "space", "-60 000 €"),
    ],
)
def test_format_french(value: Decimal, style: str, text: str) -> None:
    assert format_french(value, style) == text


def test_format_french_rejects_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown French number style"):
        format_french(D(1), "roman")


AMOUNTS = st.decimals(min_value=0, max_value=D("999999999.99"), places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(value=AMOUNTS, style=st.sampled_from(FRENCH_STYLES))
def test_round_trip_cell(value: Decimal, style: str) -> None:
    text = format_french(value, style)
    p = parse_number(text)
    assert p is not None, text
    assert p.value == value, text
    assert p.unit == {"percent": "%", "plain": None}.get(style, "EUR")


@settings(max_examples=200, deadline=None)
@given(value=AMOUNTS, style=st.sampled_from([s for s in FRENCH_STYLES if s != "plain"]))
def test_round_trip_in_a_row(value: Decimal, style: str) -> None:
    line = f"Frais de fonctionnement du service\t{format_french(value, style)}  {format_french(D('1250'), 'space')}"
    found = find_numbers(line)
    assert [p.value for p, _, _ in found] == [value, D("1250")], line


# --------------------------------------------------------------------------------------------
# find_numbers on lines shaped like table rows and prose
# --------------------------------------------------------------------------------------------


def _values(line: str) -> list[Decimal]:
    return [p.value for p, _, _ in find_numbers(line)]


def _texts(line: str) -> list[str]:
    return [line[a:b] for _, a, b in find_numbers(line)]


def test_label_ending_with_a_number_gives_an_ambiguous_reading() -> None:
    line = "Déploiement de l'outil Cap 31 204 000 € 102 000 € 102 000 €"
    found = find_numbers(line)
    assert [p.value for p, _, _ in found] == [D("31204000"), D("102000"), D("102000")]
    first = found[0][0]
    assert first.ambiguous and first.alternatives == (D("204000"),)
    assert not found[1][0].ambiguous


def test_euro_signs_separate_amounts() -> None:
    assert _values("Référente famille 2 500 € 67 900 € ") == [D("2500"), D("67900")]
    assert _texts("Référente famille 2 500 € 67 900 € ") == ["2 500 €", "67 900 €"]


def test_column_gaps_separate_amounts() -> None:
    line = "Appui aux associations  23 000 €  1 326 €  8 674 €"
    assert _values(line) == [D("23000"), D("1326"), D("8674")]
    assert not any(p.ambiguous for p, _, _ in find_numbers(line))
    assert _values("Nombre de dossiers ouverts\t3 278\t3 552\t") == [D("3278"), D("3552")]
    assert _values("Ateliers collectifs   10 000 €   5 000 €") == [D("10000"), D("5000")]


def test_groups_that_are_not_three_digits_start_a_new_number() -> None:
    assert _values("Dossiers 3 278 3 552") == [D("3278"), D("3552")]
    assert _values("Effectifs 86 86 86") == [D("86")] * 3


def test_run_of_amounts_without_euro_between_keeps_its_cuts() -> None:
    line = "TOTAL GENERAL 1 200 500 € 80 000 € 612 300 488 200 0 €"
    found = find_numbers(line)
    assert [p.value for p, _, _ in found] == [D("1200500"), D("80000"), D("612300488200"), D("0")]
    run = found[2][0]
    assert run.ambiguous and run.unit is None and D("488200") in run.alternatives
    assert (D("612300"), D("488200")) in readings(line[found[2][1] : found[2][2]])


def test_three_groups_without_unit_in_a_line_are_ambiguous() -> None:
    p = find_numbers("100 100 100")[0][0]
    assert p.value == D("100100100") and p.ambiguous


def test_introducing_words_do_not_make_an_amount_ambiguous() -> None:
    for line in ("un budget total de 853 760 € cette année", "soit 1 936 652 € au total", "Total : 1 936 652 €"):
        ((p, _, _),) = find_numbers(line)
        assert p.value in (D("853760"), D("1936652")) and not p.ambiguous, line


def test_spaces_of_every_kind_group_thousands() -> None:
    for sp in (" ", NBSP, NNBSP, "\u2009"):
        assert _values(f"Montant{sp}: 1{sp}936{sp}652{sp}€") == [D("1936652")]


def test_digits_glued_to_words_are_not_numbers() -> None:
    assert _values("le contrat APJM1 et le 2ème semestre, le 1er janvier, Job47, SD1") == []
    assert _values("au 1^{er} semestre, avenant n°2 et n° 3") == []


def test_dates_ranges_codes_and_sections_are_skipped() -> None:
    assert _values("Reçu le 15/04/2020 ; ID : 011-221100019-20200414-ABC420_37-DE") == []
    assert _values("jeunes de 16-18 ans, période 2019-2021, loi L 222-5-1") == []
    assert _values("0304 50 19 19 03 Code activité") == []
    assert _values("2.1.1. Mise en réseau des acteurs") == []
    assert _values("1. Mesures du socle") == []
    assert _values("Voir la fiche 4.2 Accompagnement") == []
    assert _values("2.2 Référent de parcours 5 000 €") == [D("5000")]


def test_month_dates_keep_only_the_year_flagged() -> None:
    found = find_numbers("réunion du 12 mars 2020 avec 14 partenaires")
    assert [(p.value, p.is_year) for p, _, _ in found] == [(D("2020"), True), (D("14"), False)]


def test_years_are_kept_and_flagged() -> None:
    found = find_numbers("Réalisé 2019 : 48 200 €")
    assert [(p.value, p.is_year, p.unit) for p, _, _ in found] == [(D("2019"), True, None), (D("48200"), False, "EUR")]
    assert [p.is_year for p, _, _ in find_numbers("Situation 2018\t2019\t2020")] == [True, True, True]


def test_percentages_and_signs() -> None:
    line = "écarts +5 % et +12% ; taux de 6.6% puis 50,6 % (- 3 points) et -4 %"
    found = find_numbers(line)
    assert [(p.value, p.unit) for p, _, _ in found] == [
        (D("5"), "%"),
        (D("12"), "%"),
        (D("6.6"), "%"),
        (D("50.6"), "%"),
        (D("3"), None),
        (D("-4"), "%"),
    ]


def test_negative_amounts_and_dash_zero() -> None:
    assert _values("Dépenses évitées -60 000 € puis -100 000 €") == [D("-60000"), D("-100000")]
    found = find_numbers("Frais annexes - € 1 000 €")
    assert [(line_p.value, line_p.unit) for line_p, _, _ in found] == [(D("0"), "EUR"), (D("1000"), "EUR")]


def test_scales_and_currency_words_in_prose() -> None:
    line = "une hausse d’1 M€ puis de 13,5 M€, soit 49,3 millions d'euros et 12 k€, adhésion de 10 euros"
    assert _values(line) == [D("1000000"), D("13500000"), D("49300000"), D("12000"), D("10")]


def test_euro_before_the_number_is_taken_once() -> None:
    line = "Montant : € 2 500 et 10 000 € 5 000"
    found = find_numbers(line)
    assert [(p.value, p.unit) for p, _, _ in found] == [(D("2500"), "EUR"), (D("10000"), "EUR"), (D("5000"), None)]
    assert _texts(line)[0] == "€ 2 500"
    assert [(p.value, p.unit) for p, _, _ in find_numbers("- € 0,00")] == [(D("0"), "EUR"), (D("0.00"), None)]


def test_two_groups_ending_a_line_may_be_two_columns() -> None:
    ((p, _, _),) = find_numbers("Orientés en moins d'un mois 64 141")
    assert p.value == D("64141") and p.ambiguous and p.alternatives == (D("141"),)
    ((q, _, _),) = find_numbers("dont 2 338 inscrits")
    assert q.value == D("2338") and not q.ambiguous and q.unit_word == "inscrits"


def test_counts_keep_their_word_and_dot_thousands() -> None:
    ((p, a, b),) = [f for f in find_numbers("soit **13.005 journées** au total") if f[0].value]
    assert p.value == D("13005") and p.unit_word == "journées" and p.ambiguous
    ((q, _, _),) = find_numbers("Budget de 8.910 € engagé")
    assert q.value == D("8910") and not q.ambiguous
    ((r, _, _),) = find_numbers("un délai de 2 mois")
    assert r.unit_word == "mois"


def test_spans_cover_sign_number_and_unit() -> None:
    line = "Solde -1 250,50 € et 7 %"
    assert _texts(line) == ["-1 250,50 €", "7 %"]


def test_malformed_amount_in_a_row() -> None:
    ((p, _, _),) = find_numbers("TOTAL\t312.222.40 €")
    assert p.value == D("312222.40") and p.malformed


# --------------------------------------------------------------------------------------------
# The real seeds (skipped where ../shared is absent)
# --------------------------------------------------------------------------------------------


def _glued(line: str, a: int, b: int) -> bool:
    return (a > 0 and line[a - 1].isalpha()) or (b < len(line) and line[b].isalpha() and line[b - 1].isdigit())


@pytest.mark.parametrize("name", ["lot_et_garonne_2020", "aude_2019"])
def test_seed_lines(seed, name: str) -> None:
    lines = seed(name).read_text(encoding="utf-8").splitlines()
    eur = 0
    for line in lines:
        for p, a, b in find_numbers(line):
            assert p.value is not None
            assert not _glued(line, a, b), (line, line[a:b])
            assert not re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", line[a:b])
            eur += p.unit == "EUR"
        if re.match(r"\s*0\d{3} \d\d \d\d", line):  # activity codes
            assert all(f[1] > 20 for f in find_numbers(line)), line
    assert eur > 100


def test_seed_aude_tables(seed) -> None:
    text = seed("aude_2019").read_text(encoding="utf-8")
    cells = [c for line in text.splitlines() if "\t" in line for c in line.split("\t") if "€" in c]
    prose = [c for c in cells if re.search(r"[^\W\d_]", c)]  # "30 mesures soit 13 500 €": several numbers
    assert prose and all(parse_number(c) is None for c in prose)
    cells = [c for c in cells if c not in prose]
    assert len(cells) > 60
    parsed = [parse_number(c) for c in cells]
    assert all(p is not None and p.unit == "EUR" for p in parsed), [
        c for c, p in zip(cells, parsed, strict=False) if p is None
    ]
    assert sum(p.malformed for p in parsed) == 2  # the two TOTAL cells written 312.222.40 €
    assert D("1207650.75") in {p.value for p in parsed}


def test_seed_lot_et_garonne_rows(seed) -> None:
    lines = seed("lot_et_garonne_2020").read_text(encoding="utf-8").splitlines()
    job = [line for line in lines if re.search(r"Job 47 136 000 €", line)]
    assert job
    p = find_numbers(job[0])[0][0]
    assert p.value == D("47136000") and p.ambiguous and D("136000") in p.alternatives
    totals = [find_numbers(line) for line in lines if line.strip().startswith("TOTAL 1 936 652")]
    assert totals and [f[0].value for f in totals[0]] == [D("1936652"), D("650732"), D("742977")]
    assert D("1936652") == D("650732") + D("742977") + D("542943")
