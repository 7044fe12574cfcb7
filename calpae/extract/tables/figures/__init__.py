"""Tables of figures that are not money (indicator tables) without inner column rules: `tables.figure_tables`."""
