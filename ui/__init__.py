"""The PySide6 desktop app (not built yet: it arrives with the desktop issue)."""
