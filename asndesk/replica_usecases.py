"""What the sync engine needs from the local store: the queue, answers, pulled pages, secrets.

Everything here is Qt- and network-free; `sync/client.py` calls it. Pulled pages and their
cursor are written in one transaction, so an interrupted pull never half-applies a page.
"""

from __future__ import annotations

import secrets
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from asndesk.store import ledger, outbox, remote_repo, team_repo
from asndesk.store.connection import IntegrityError
from asndesk.store.database import Changes, WriteTx

if TYPE_CHECKING:
    from asndesk.store.database import Store

_FINAL = {"applied": "acked", "rejected": "rejected", "conflict": "conflict"}


class ReplicaUseCases:
    store: Store

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    # -- secrets kept inside the encrypted store ----------------------------------------
    def sync_setting(self, key: str) -> str | None:
        return self.store.meta(f"sync.{key}")

    def set_sync_settings(self, **values: str | None) -> None:
        """Server URL and tokens; None removes a value. Stored encrypted, never logged."""
        with self._write():
            for key, value in values.items():
                if value is None:
                    self.store.delete_meta(f"sync.{key}")
                else:
                    self.store.set_meta(f"sync.{key}", value)

    def device_signing_key(self) -> bytes:
        """This device's Ed25519 private key (32 bytes), made on first use."""
        stored = self.store.meta("device_signing_key")
        if stored is None:
            stored = secrets.token_bytes(32).hex()
            with self._write() as tx:
                self.store.set_meta("device_signing_key", stored)
                tx.audit("device_key.create")
        return bytes.fromhex(stored)

    # -- push side -----------------------------------------------------------------------
    def unacked_ops(self, limit: int = 500) -> list[outbox.Op]:
        return outbox.unacked(self.store.conn, limit)

    def ops_from(self, seq: int, limit: int = 500) -> list[outbox.Op]:
        return outbox.ops_from(self.store.conn, seq, limit)

    def mark_sent(self, seqs: list[int]) -> None:
        with self._write():
            outbox.mark_sent(self.store.conn, seqs, datetime.now(UTC).isoformat())

    def record_push_results(self, results: list[dict[str, Any]]) -> Changes:
        """Store each op's answer; rejected and conflict ops stay visible with their reason."""
        with self._write() as tx:
            for result in results:
                state = _FINAL[result["status"]]
                outbox.record_result(tx.conn, result["seq"], result["op_id"], state, result)
                tx.changes.add("outbox", str(result["seq"]))
        # Local rows keep their version: the next pull brings the server's state (which may
        # hold fields merged from another device) whenever its version is higher.
        return tx.changes

    # -- pull side -----------------------------------------------------------------------
    def sync_cursors(self) -> dict[str, dict[str, Any]]:
        return remote_repo.cursors(self.store.conn)

    def apply_pull_page(self, partition: str, changes: list[dict[str, Any]],
                        cursor: dict[str, Any]) -> tuple[Changes, int]:
        """Write one page and its cursor together; returns the Changes and rows skipped."""
        skipped = 0
        with self._write() as tx:
            for change in changes:
                try:
                    with tx.savepoint(f"pull_{int(change['server_seq'])}"):
                        # Others' records (team:, unit:) go to the replica tables, never own.
                        if not team_repo.apply_pulled(tx, partition, change):
                            skipped += 1
                        # The ledger notes what the server holds, even where a pending local
                        # op kept the local row: it checks the transfer, not the local edits.
                        ledger.record(tx.conn, partition, change["entity_kind"],
                                      change["entity_id"],
                                      None if change["data"] is None else change["version"])
                except IntegrityError:
                    # e.g. a realisasi whose period this device has not got yet: the server
                    # keeps it; the next full pull of the partition brings it.
                    skipped += 1
            remote_repo.save_cursor(tx, partition, cursor)
        return tx.changes, skipped

    # -- verification and restores ---------------------------------------------------------
    def ledger_checksum(self, partition: str) -> str:
        """The checksum of what the server has sent for `partition` (compare with its page)."""
        return ledger.checksum(self.store.conn, partition)

    def restart_partition(self, partition: str) -> None:
        """Forget a partition's cursor and ledger, so the next pull starts from the beginning."""
        with self._write() as tx:
            ledger.clear(tx.conn, partition)
            remote_repo.drop_cursor(tx, partition)
            tx.audit("sync.partition_restart")

    def first_acked_after(self, server_seq: int) -> int | None:
        """The first op the server acked at a change-log position above `server_seq`.

        After the server was restored from a backup taken at `server_seq`, this op and every
        later one are not on the server any more: they are pushed again (replays are safe).
        """
        return outbox.first_acked_after(self.store.conn, server_seq)
