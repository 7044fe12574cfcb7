import sys

from calpae.cli import main

sys.exit(main())
