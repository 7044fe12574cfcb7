"""Borderless tables: rows are a label followed by amounts, columns from right edges."""
