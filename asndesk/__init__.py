"""asndesk core: domain rules, encrypted store, outbox and the workspace facade (Qt-free)."""

__version__ = "0.1.0"
