"""Document structure: prefecture stamps, page furniture, headings and the section tree."""
