"""The `asndesk` command: profiles, records, outbox, audit and export from a terminal."""

from asndesk.cli.main import main

__all__ = ["main"]
