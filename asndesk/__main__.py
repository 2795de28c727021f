"""`python -m asndesk` runs the CLI."""

from asndesk.cli import main

raise SystemExit(main())
