"""Words and visual lines: the geometry every reader builds on."""
