"""Words for what the office server says to the HR officer's online tasks (roster import,
devices): file-level refusals of a roster, rights, and "not connected / offline", which
always add that the work can be done later. Qt-free, so models and tests share the texts.
"""

from __future__ import annotations

from asndesk.i18n import N_, _
from sync.client import NeedsLogin, SyncError, TransientError
from sync.roster_admin import RosterReadError
from ui.sync_messages import describe_error

# A roster file refused as a whole (sync/server/roster_csv.py RosterFileError codes).
FILE_CODES = {
    "too_large": N_("The file is larger than 5 MB; split it into smaller files."),
    "too_many_rows": N_("The file has more than 20,000 rows; split it into smaller files."),
    "not_utf8": N_("The file is not UTF-8 text. In the spreadsheet, save it as "
                   "\"CSV UTF-8\"."),
    "bad_chars": N_("The file contains characters that are not allowed."),
    "bad_csv": N_("The file is not well-formed CSV (a quote is not closed?) at {where}."),
    "no_header": N_("The file has no header line naming its columns."),
    "unknown_column": N_("The header names a column asndesk does not know: {column}. "
                         "Check its spelling."),
    "duplicate_column": N_("The header names a column twice."),
    "missing_column": N_("The header lacks the required column {column}."),
}
RIGHTS = {
    "forbidden": N_("Only an HR officer (pengelola kepegawaian) of a unit, or the office "
                    "administrator, may do this."),
    "not_found": N_("The server does not know it, or it is not within your units."),
}
LATER = N_("Nothing was changed; you can do this later, when connected.")


def file_problem(code: str, field: str | None = None) -> str | None:
    """Words for a file-level refusal, or None when `code` is not one."""
    if code not in FILE_CODES:
        return None
    return _(FILE_CODES[code]).format(where=(field or "?").replace("line", _("line")),
                                      column=field or "?")


def server_error_text(exc: BaseException) -> str:
    """What to say when an online HR task failed: the reason first, then what still holds."""
    if isinstance(exc, RosterReadError):
        return file_problem(exc.code) or _(LATER)
    if isinstance(exc, OSError):
        return _("The file cannot be read: {reason}.").format(
            reason=exc.strerror or type(exc).__name__)
    if isinstance(exc, SyncError):
        return _sync_error_text(exc)
    return _("Something went wrong: {error}.").format(error=type(exc).__name__)


def _sync_error_text(exc: SyncError) -> str:
    words = file_problem(exc.code, exc.field)
    if words is None and exc.code in RIGHTS:
        words = _(RIGHTS[exc.code])
    elif words is None and (exc.code == "not_connected" or isinstance(exc, NeedsLogin)):
        words = describe_error(exc.code) + " " + _(LATER)
    elif words is None and isinstance(exc, TransientError) and exc.code != "tls_untrusted":
        words = _("The office server cannot be reached now (no connection, or it did not "
                  "answer).") + " " + _(LATER)
    return words if words is not None else describe_error(exc.code)
