"""Generated corpus of CALPAE documents (PDFs) with exact ground truth, for tests and benchmarks."""

from corpora.build import LAYOUT_OPTIONS, build_corpus, parse_years

__all__ = ["LAYOUT_OPTIONS", "build_corpus", "parse_years"]
