"""A run of digit groups too long for one figure is several numbers whose column gaps were lost, never one value."""

from decimal import Decimal

from calpae.extract import parse_number
from calpae.indicators.prose_numbers import find_figures


def test_a_cell_of_four_amounts_run_together_is_not_a_number():
    assert parse_number("107 500 107 500 215 000 168 944") is None
    assert parse_number("999 999 999 999 999 €").value == Decimal("999999999999999")


def test_prose_keeps_no_figure_of_more_than_fifteen_digits():
    figures = find_figures("Déploiement de la démarche 107 500 107 500 215 000 168 944 et 12 jeunes accompagnés")
    assert [f.value for f in figures] == [Decimal(12)]
