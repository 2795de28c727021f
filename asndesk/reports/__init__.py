"""Official documents (PDF) and exports (CSV, XLSX, JSON) built from a profile's own data.

Qt-free: `Reports` (in `asndesk.reports.service`) is what the CLI and the desktop app call;
the layout toolkit is `asndesk.reports.layout`. Everything is made in memory and written
only to the path the person chose.
"""
