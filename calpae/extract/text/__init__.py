"""The reader of text exports (.txt/.md/.html): lines, HTML and tab-separated tables."""
