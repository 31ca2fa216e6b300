"""`python -m ferrocov`: the same as the `ferrocov` command."""

import sys

from ferrocov.cli import main

sys.exit(main())
