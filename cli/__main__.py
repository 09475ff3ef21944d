"""`python -m cli`, as the console script `receivables` runs it."""

import sys

from cli import main

sys.exit(main())
