"""`python -m server.cli` runs the same command line as the `lianxi` script."""

from __future__ import annotations

import sys

from server.cli import main

sys.exit(main())
