"""`python -m ui`: the desktop app, as `asndesk` with no arguments opens it."""

import sys

from ui.launch import run

sys.exit(run())
