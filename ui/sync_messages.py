"""Sync in plain words: each error code, outbox state, refusal reason and progress phase.

Qt-free, so the table models and the tests use the same texts as the page. Message ids are
English (`N_`), translated when shown; codes come from sync/client.py (`SyncError.code`),
sync/protocol.py (`Reason`) and the server's refusal message ids.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from asndesk.domain.formatting import format_tanggal
from asndesk.i18n import N_, _, ngettext
from asndesk.store.rows import LABELS
from sync.progress import Progress
from sync.scheduler import Outcome

# -- why a sync failed ------------------------------------------------------------------------
SYNC_ERRORS = {
    "network": N_("No connection to the server. Your changes stay queued."),
    "not_protocol": N_("The network answered with something that is not the asndesk server "
                       "(a Wi-Fi login page?). Your changes stay queued."),
    "insecure_url": N_("Refusing plain http:// to another computer; use https://."),
    "tls_untrusted": N_("The server's identity could not be verified: its certificate does "
                        "not match the office's (office.json), or it is not trusted. Your "
                        "changes stay queued; ask the office administrator if this persists."),
    "bad_url": N_("That is not a server address."),
    "not_connected": N_("This profile is not connected to an office server. Connect it on "
                        "the Settings page; this needs the office network once."),
    "busy": N_("This profile is already syncing in another window; try again when it ends."),
    "no_session": N_("This profile is not logged in to the server. Log in on the Settings "
                     "page; your changes stay queued."),
    "unauthenticated": N_("The server no longer accepts this computer's login. Log in again "
                          "on the Settings page; your changes stay queued."),
    "refresh_failed": N_("The server no longer accepts this computer's login. Log in again "
                         "on the Settings page; your changes stay queued."),
    "account_disabled": N_("Your account on the server is disabled. Ask HR or the office "
                           "administrator; your changes stay queued."),
    "device_revoked": N_("The office revoked this device. Its profile was erased from this "
                         "computer."),
    "final_push_pending": N_("The office revoked this device but allows it to send its "
                             "queued changes first. They could not all be sent yet, so the "
                             "profile is kept, locked. Open it again while connected to the "
                             "office network to finish sending."),
    "partition_forbidden": N_("The server no longer lets this profile read some records "
                              "(a supervisor or HR role ended). The next sync fetches what "
                              "is still yours to read."),
    "bad_answer": N_("The server sent an answer asndesk could not use. Your changes stay "
                     "queued; asndesk tries again."),
    "bad_body": N_("The answer from the server arrived damaged. Your changes stay queued; "
                   "asndesk tries again."),
    "no_progress": N_("The server did not take any changes this time. Your changes stay "
                      "queued; asndesk tries again."),
    "internal_error": N_("The server had a problem. Your changes stay queued; asndesk tries "
                         "again."),
    "http_error": N_("The server had a problem. Your changes stay queued; asndesk tries "
                     "again."),
}
UNKNOWN_ERROR = N_("Sync failed ({code}). Your changes stay queued.")


def describe_error(code: str | None) -> str:
    """The reason a sync failed, in plain words (never a traceback, never a secret)."""
    code = code or ""
    if code in SYNC_ERRORS:
        return _(SYNC_ERRORS[code])
    return _(UNKNOWN_ERROR).format(code=code or "?")


# -- what is in the queue ---------------------------------------------------------------------
OUTBOX_STATES = {
    "pending": N_("Waiting to be sent"),
    "sent": N_("Sent, waiting for the server's answer"),
    "acked": N_("Accepted by the server"),
    "rejected": N_("Refused by the server"),
    "conflict": N_("Changed on another device too: choose what to keep"),
    "settled": N_("Conflict settled"),
}

OP_KINDS = {
    "create": N_("Added"), "edit_fields": N_("Changed"), "submit": N_("Submitted"),
    "withdraw": N_("Withdrawn"), "approve": N_("Approved"), "return": N_("Returned for "
                                                                         "revision"),
    "rate": N_("Rated"), "comment": N_("Commented"), "attach": N_("Evidence attached"),
    "delete": N_("Deleted"),
}

# Entity kinds the protocol knows that have no table label of their own.
_MORE_LABELS = {"komentar": N_("comment"), "amandemen": N_("amendment request")}

FIELD_LABELS = {
    "tanggal": N_("Date"), "jam_mulai": N_("Start time"), "jam_selesai": N_("End time"),
    "kegiatan": N_("Activity"), "output_jumlah": N_("Output amount"),
    "output_satuan": N_("Output unit"), "rhk_id": N_("RHK"), "teks": N_("Text"),
    "rhk_atasan": N_("Supervisor's RHK"), "perspektif": N_("Perspective"),
    "indikator": N_("Indicator"), "target_nilai": N_("Target"),
    "target_satuan": N_("Target unit"), "aspek": N_("Aspect"), "nilai": N_("Value"),
    "uraian": N_("Description"), "jabatan": N_("Position"), "unit_kerja": N_("Work unit"),
    "pendekatan": N_("Approach"), "jenis_jabatan": N_("Position type"),
    "nama": N_("Name"), "penyelenggara": N_("Organiser"), "tanggal_mulai": N_("Start date"),
    "tanggal_selesai": N_("End date"), "jp": N_("Lesson hours (JP)"), "status": N_("Status"),
    "hasil": N_("Result"), "catatan": N_("Note"), "kepuasan": N_("Satisfaction"),
    "pengaduan": N_("Complaint"), "kode": N_("Code"), "standar_hari_kerja": N_(
        "Standard working days"),
}


def state_words(state: str) -> str:
    return _(OUTBOX_STATES[state]) if state in OUTBOX_STATES else state


def entity_words(kind: str) -> str:
    label = LABELS.get(kind) or _MORE_LABELS.get(kind)
    return _(label) if label else kind.replace("_", " ")


def field_words(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return _(label) if label else name.replace("_", " ").capitalize()


def op_words(kind: str, entity_kind: str) -> str:
    """What an op did, e.g. "Changed: daily log entry"."""
    action = _(OP_KINDS[kind]) if kind in OP_KINDS else kind
    return _("{action}: {thing}").format(action=action, thing=entity_words(entity_kind))


def value_words(value: Any) -> str:
    """A field value as a person reads it ("(empty)" for nothing)."""
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def when_words(stamp: str) -> str:
    """An ISO instant (with its offset) as local date and time, e.g. "20 November 2026 08.00"."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return _("{date}, {time}").format(date=format_tanggal(moment.date()),
                                      time=moment.strftime("%H:%M"))


# -- why the server refused a change, and how to fix it --------------------------------------
REFUSALS = {  # by the server's message id (the most specific)
    "period_closed": N_("The period of this record is closed; the server no longer accepts "
                        "changes to it."),
    "skp_not_editable": N_("The SKP was already submitted or approved, so this change to it "
                           "was not accepted."),
    "skp_not_approved": N_("The SKP is not approved yet, so this could not be done."),
    "bad_transition": N_("The SKP is no longer in a state where this can be done (it was "
                         "changed on another device or by your supervisor)."),
    "amendment_open": N_("An amendment request is already open for this SKP."),
    "stale_decision": N_("The SKP changed after you looked at it, so your decision was not "
                         "applied."),
    "not_yours": N_("This record is not yours to change."),
    "not_your_subordinate": N_("This person is no longer your subordinate on the server."),
    "workflow_field": N_("This field changes only by submitting, withdrawing or approving."),
    "append_only": N_("Feedback, comments and ratings cannot be changed once sent."),
    "not_found": N_("The record no longer exists on the server (deleted on another "
                    "device?)."),
    "parent_missing": N_("The record this belongs to is missing on the server."),
    "already_exists": N_("The server already has this record."),
    "changed_since_seen": N_("The record was changed elsewhere after this change was made."),
    "unsupported_op": N_("The server does not accept this kind of change yet."),
    "unsupported_entity": N_("The server does not accept this kind of record yet."),
    "too_long": N_("A text in this change is too long for the server."),
    "out_of_range": N_("A value in this change is outside the allowed range."),
    "missing": N_("A required value is missing from this change."),
    "note_required": N_("A note is required for this decision."),
}
REASONS = {  # by the stable reason code, when the message id is not known here
    "E_INVALID": N_("The server found a value in this change not valid."),
    "E_FORBIDDEN": N_("This record is not yours to change."),
    "E_NOT_FOUND": N_("The record no longer exists on the server."),
    "E_INVALID_STATE": N_("The record is no longer in a state where this change can be "
                          "made."),
    "E_STALE_DECISION": N_("The SKP changed after you looked at it, so your decision was not "
                           "applied."),
    "E_PERIOD_CLOSED": N_("The period of this record is closed; the server no longer accepts "
                          "changes to it."),
    "E_SEQ_REUSED": N_("The server already had a different change under this number."),
    "E_CONCURRENT_EDIT": N_("The record was changed elsewhere after this change was made."),
    "E_UNSUPPORTED": N_("The server does not accept this kind of change yet."),
}
FIXES = {  # what the person can do, by reason code
    "E_INVALID": N_("Open the record, correct the value and save it again."),
    "E_FORBIDDEN": N_("Open the record to see the server's copy; ask the owner if it must "
                      "change."),
    "E_NOT_FOUND": N_("Open the page to check; add the record again if it is still needed."),
    "E_INVALID_STATE": N_("Open the record: withdraw it or ask for an amendment, then make "
                          "the change again."),
    "E_STALE_DECISION": N_("Open the SKP, look at it again and decide once more."),
    "E_PERIOD_CLOSED": N_("Ask your supervisor or HR; the change is kept here, visible."),
    "E_SEQ_REUSED": N_("Ask the office administrator; the change is kept here, visible."),
    "E_CONCURRENT_EDIT": N_("Open the record to see the newest copy and make the change "
                            "again."),
    "E_UNSUPPORTED": N_("Nothing to do now; the change is kept here, visible."),
}


def refusal_words(reason: str, message_id: str = "",
                  params: dict[str, Any] | None = None) -> str:
    """Why the server refused a change; names the field when the server said which."""
    if message_id in REFUSALS:
        text = _(REFUSALS[message_id])
    elif reason in REASONS:
        text = _(REASONS[reason])
    else:
        text = _("The server refused this change ({code}).").format(code=reason or "?")
    field = (params or {}).get("field")
    if isinstance(field, str) and field and not field.startswith("_"):
        text += " " + _("Field: {field}.").format(field=field_words(field))
    return text


def fix_words(reason: str) -> str:
    return _(FIXES[reason]) if reason in FIXES else _("Open the record to check it.")


# Where a record is shown (page ids in ui/pages/registry.py), for the fix-it path.
PAGE_FOR_KIND = {
    "skp": "skp", "rhk": "skp", "iki": "skp", "lampiran": "skp", "perilaku": "skp",
    "rencana_aksi": "skp", "amandemen": "skp", "log_harian": "log_harian",
    "service_type": "layanan", "service_log": "layanan", "skm_response": "skm",
    "realisasi": "realisasi", "umpan_balik": "umpan_balik", "komentar": "umpan_balik",
    "penilaian": "umpan_balik", "pelatihan": "pengembangan_kompetensi",
}


# -- progress and outcomes --------------------------------------------------------------------
PHASES = {
    "push": N_("Sending changes"), "upload": N_("Sending evidence files"),
    "pull": N_("Receiving updates"), "download": N_("Fetching evidence files"),
}


def progress_words(progress: Progress) -> str:
    """E.g. "Sending changes: 3 of 10" (no count while the total is not known yet)."""
    phase = _(PHASES[progress.phase]) if progress.phase in PHASES else progress.phase
    if progress.items_total > 0:
        return _("{phase}: {done} of {total}").format(
            phase=phase, done=min(progress.items_done, progress.items_total),
            total=progress.items_total)
    if progress.items_done > 0:
        return _("{phase}: {done} so far").format(phase=phase, done=progress.items_done)
    return _("{phase}…").format(phase=phase)


def success_words(outcome: Outcome) -> str:
    report = outcome.report
    assert report is not None
    text = _("Sync finished: sent {acked}, refused {rejected}, conflicts {conflicts}, "
             "received {pulled}.").format(acked=report.acked, rejected=report.rejected,
                                          conflicts=report.conflicts, pulled=report.pulled)
    if report.rejected or report.conflicts:
        text += " " + _("See the Sync page to settle them.")
    return text


def outcome_words(outcome: Outcome) -> tuple[str, bool]:
    """The announcement for a finished sync: (text, assertive). Failures are assertive."""
    if outcome.report is not None:
        return success_words(outcome), False
    return _("Sync failed: {reason}").format(reason=describe_error(outcome.error)), True


def retry_words(seconds: float) -> str:
    n = max(1, round(seconds))
    return ngettext("Waiting to try again in {n} second", "Waiting to try again in {n} seconds",
                    n).format(n=n)


def state_line(state: str, retry_in: float | None = None) -> str:
    """The sync page's one-line state."""
    if state == "retry" and retry_in is not None:
        return retry_words(retry_in)
    texts = {
        "no_server": N_("No server set up: working offline. Log in to the office server on "
                        "the Settings page to sync."),
        "stopped": N_("Not syncing automatically right now."),
        "syncing": N_("Syncing…"),
        "needs_login": N_("Needs login: log in again on the Settings page."),
        "revoked": N_("This device was revoked by the office."),
        "retry": N_("Waiting to try again."),
        "idle": N_("Up to date; syncing automatically."),
    }
    return _(texts.get(state, texts["idle"]))
