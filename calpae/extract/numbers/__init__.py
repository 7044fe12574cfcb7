"""French numbers and amounts: one parser for cells, one finder for running text, lines split into label + amounts."""
