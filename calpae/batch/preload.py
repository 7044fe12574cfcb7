"""Imported once by the fork server: every worker process is forked with the stages, the referential
and the spaCy model already loaded, instead of loading them again in each worker (seconds each)."""

from calpae import pipeline, stages  # noqa: F401  (the imports are the point)
from calpae.indicators.prose import nlp
from calpae.referential import load_referential

load_referential()
nlp(parser=True)  # prose facts parse the sentences that hold figures (issue 16)
