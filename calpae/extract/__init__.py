"""Readers and parsers: files → Document (pages, lines, words, tables, sections, furniture)."""
