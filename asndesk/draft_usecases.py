"""Form drafts kept in the encrypted store, so typing survives a lock, a crash or a conflict.

Drafts are local only: they are neither synced nor audited, and a saved entry clears its draft.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asndesk.store.database import Store, WriteTx

_PREFIX = "draft:"
MAX_DRAFT_BYTES = 256 * 1024  # a form, not a document: refuse runaway sizes


class DraftUseCases:
    """Mixin for `Workspace`: save, read and discard a form's draft by a stable form key."""

    store: Store

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def save_draft(self, form_key: str, values: dict[str, Any]) -> None:
        """Store what the form holds now (JSON-able values); an empty form removes the draft."""
        _check_key(form_key)
        if not any(v not in (None, "", [], {}) for v in values.values()):
            self.discard_draft(form_key)
            return
        text = json.dumps(values, ensure_ascii=False, sort_keys=True)
        if len(text.encode()) > MAX_DRAFT_BYTES:
            raise ValueError("draft too large")
        with self.store._lock:
            self.store.set_meta(_PREFIX + form_key, text)

    def draft(self, form_key: str) -> dict[str, Any] | None:
        """The saved draft of `form_key`, or None."""
        _check_key(form_key)
        text = self.store.meta(_PREFIX + form_key)
        if text is None:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def discard_draft(self, form_key: str) -> None:
        _check_key(form_key)
        with self.store._lock:
            self.store.delete_meta(_PREFIX + form_key)

    def draft_keys(self) -> list[str]:
        """Form keys that have a draft (to restore them after an unlock)."""
        return [key.removeprefix(_PREFIX) for key in self.store.meta_keys(_PREFIX)]


def _check_key(form_key: str) -> None:
    if not form_key or len(form_key) > 100 or not form_key.replace(".", "_").replace(
            ":", "_").replace("-", "_").isidentifier():
        raise ValueError("bad draft key")
