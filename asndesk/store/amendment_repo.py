"""Amendment requests (amandemen) the owner made on this device, read back from the outbox.

The local schema keeps no amendment table: like a supervisor's decisions, an amendment request
lives as its queued ops, and the server's answer to each op is stored with it.
"""

from __future__ import annotations

import json
from typing import Any

KIND = "amandemen"


def amendment_ops(conn: Any) -> list[dict[str, Any]]:
    """Every op on an amendment, oldest first, with the server's stored answer (if any)."""
    found = []
    for r in conn.execute(
            "SELECT seq, op_id, kind, entity_id, payload, state, result, created_at FROM outbox"
            " WHERE entity_kind = ? ORDER BY seq", (KIND,)).fetchall():
        found.append({"seq": r[0], "op_id": r[1], "kind": r[2], "entity_id": r[3],
                      "payload": json.loads(r[4]), "state": r[5],
                      "result": json.loads(r[6]) if r[6] else {}, "created_at": r[7]})
    return found
