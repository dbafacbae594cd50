"""`python -m gcmkg.cli`: the same as the `gcmkg` command."""

import sys

from gcmkg.cli import main

sys.exit(main())
