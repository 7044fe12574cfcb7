"""`python -m corpora build ...`: same as `calpae corpus build ...`."""

import sys

from corpora.cli import main

sys.exit(main())
