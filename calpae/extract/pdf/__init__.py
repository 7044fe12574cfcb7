"""The PDF reader: pypdfium2 words and ruling lines, pdfplumber rules, tables per page."""
