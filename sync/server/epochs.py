"""Server epochs: a restored backup starts a new epoch, and old cursors resume safely in it.

A backup is a prefix of the change log. `asndesk server restored` (run after restoring one)
records the head seq at which the old history was cut and starts a new epoch. A cursor of an
older epoch then resumes at min(cursor, every cut since), a position valid in the new history,
so devices pull only what they lack and push again only what the server lost.
"""

from __future__ import annotations

import json
import secrets

from sqlalchemy import Connection, select, update

from sync.protocol import Cursor
from sync.server.db import meta
from sync.server.schema import server_meta

_HISTORY_KEY = "epoch_history"  # JSON list of [old epoch, head seq when it was cut], oldest first


def history(conn: Connection) -> list[tuple[str, int]]:
    value = conn.execute(select(server_meta.c.value)
                         .where(server_meta.c.key == _HISTORY_KEY)).scalar()
    return [(str(e), int(s)) for e, s in json.loads(value)] if value else []


def start_new_epoch(conn: Connection) -> str:
    """Cut the current history at the current head and start a new epoch; returns it."""
    old, head = meta(conn, "epoch"), int(meta(conn, "change_seq"))
    cuts = [*history(conn), (old, head)]
    new = secrets.token_hex(8)
    conn.execute(update(server_meta).where(server_meta.c.key == "epoch").values(value=new))
    encoded = json.dumps(cuts)
    if conn.execute(update(server_meta).where(server_meta.c.key == _HISTORY_KEY)
                    .values(value=encoded)).rowcount == 0:
        conn.execute(server_meta.insert().values(key=_HISTORY_KEY, value=encoded))
    return new


def resume_point(conn: Connection, epoch: str, head: int, cursor: Cursor | None,
                 ) -> tuple[int, int | None]:
    """Where a partition pull starts, and the rebase position to report (None: no rebase)."""
    if cursor is None:
        return 0, None
    if cursor.epoch == epoch:
        if cursor.seq <= head:
            return cursor.seq, None
        # Ahead of this server: restored without `server restored`. The backup still is a
        # prefix of what the device saw, so the head is a safe place to go on from.
        return head, head
    cuts = history(conn)
    epochs = [e for e, _ in cuts]
    if cursor.epoch not in epochs:
        return 0, 0  # a history this server never had: the partition starts over
    later_cuts = [seq for _, seq in cuts[epochs.index(cursor.epoch):]]
    start = min([cursor.seq, *later_cuts, head])
    return start, start
