"""The office corpus family: documents authored as DOCX (python-docx) and XLSX (openpyxl), rendered to PDF by
LibreOffice headless, with the same ground truth as the reportlab family (`corpora.truth`).

Office layouts are what other départements' reports look like: narrow columns whose words and numbers wrap
inside a cell, merged cells, stacked headers, headers repeated per page, landscape annexes, partial borders or
none, several fonts; plus text exports (pdftotext -layout) and noisy scans of some documents.
LibreOffice is needed only to build this family (`scripts/ensure-libreoffice.sh`).
"""

from corpora.office.build import COPY_MODES, build_office_corpus

__all__ = ["COPY_MODES", "build_office_corpus"]
