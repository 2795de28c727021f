"""Asking for an amendment (amandemen) of an approved SKP: the request is queued as an op on
the server's `amandemen` entity (create {skp_id, alasan}); the server opens the amendment and
the pejabat penilai decides on it there. Requests are read back from the outbox.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from asndesk.domain.skp import StatusSkp, validate_text
from asndesk.errors import InvalidState, NotFound, UserFacingError
from asndesk.i18n import N_
from asndesk.store import amendment_repo, rows, skp_repo
from asndesk.store.database import Changes, WriteTx
from asndesk.store.ids import uuid7

if TYPE_CHECKING:
    from asndesk.store.database import Store

MAKS_ALASAN = 2000  # the server's limit for an amendment's reason (decisions.MAX_NOTE)
UNANSWERED = ("pending", "sent")


class AmendmentPending(UserFacingError):
    """A request for this SKP is still waiting to reach the server: one at a time."""

    message_id = N_("An amendment request for this SKP is still waiting to be sent.")


class AmendmentUseCases:
    """Mixin for `Workspace`: request an amendment and list the requests made here."""

    store: Store
    owner_nip: str

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def request_amendment(self, skp_id: str, alasan: str | None = None) -> Changes:
        """Queue `create` of a new amendment of the owner's approved SKP `skp_id`.

        `alasan` (optional) says why the plan must change. Refused unless the SKP is the
        owner's and Disetujui, or while an earlier request for it has no answer yet.
        """
        head = skp_repo.skp_head(self.store.conn, skp_id)
        if head["pegawai_nip"] != self.owner_nip:
            raise NotFound(kind=rows.LABELS["skp"], id=skp_id)
        if head["status"] != StatusSkp.DISETUJUI:
            # Before approval the plan is edited directly: an amendment is only for after.
            raise InvalidState(status=head["status"])
        teks = (validate_text("alasan", alasan, MAKS_ALASAN)
                if alasan is not None and alasan.strip() else None)
        if any(a["state"] in UNANSWERED for a in self.amendments(skp_id)):
            raise AmendmentPending()
        amendment_id = uuid7()
        payload: dict[str, Any] = {"skp_id": skp_id}
        if teks is not None:
            payload["alasan"] = teks
        with self._write() as tx:
            tx.op("create", amendment_repo.KIND, amendment_id, payload)
            tx.changes.add("skp", skp_id)
        tx.changes.primary_id = amendment_id
        return tx.changes

    def amendments(self, skp_id: str) -> list[dict[str, Any]]:
        """The amendment requests made on this device for `skp_id`, oldest first: id, alasan,
        dibuat_pada, state of the request op (pending, sent, acked, rejected, conflict) and
        the server's reason and message id when it refused."""
        found = []
        for op in amendment_repo.amendment_ops(self.store.conn):
            if op["kind"] != "create" or op["payload"].get("skp_id") != skp_id:
                continue
            found.append({"id": op["entity_id"], "skp_id": skp_id,
                          "alasan": op["payload"].get("alasan"), "dibuat_pada": op["created_at"],
                          "state": op["state"], "reason": op["result"].get("reason"),
                          "message_id": op["result"].get("message_id")})
        return found
