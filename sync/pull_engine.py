"""Pulling: every partition in one request, pages until each is at its end, then checksums.

One request carries the cursors of all partitions (`own`, `ref`, `team:<NIP>`, `unit:<id>`),
so a sync with nothing new is one round trip whatever the person's roles; only partitions
that have more are asked again. At its end each partition's checksum is compared with the
ledger of what arrived: a mismatch is pulled again once (on SQLite a push may land between a
page and its checksum), then that partition alone restarts from the beginning; if it still
differs it is reported as unverified rather than looping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sync.progress import Progress
from sync.protocol import (
    PULL_PATH,
    Cursor,
    Partition,
    ProtocolError,
    PullPage,
    PullRequest,
    PullResponse,
)

if TYPE_CHECKING:
    from sync.client import SyncClient, SyncReport


@dataclass
class PullRun:
    """What one pull learned: partitions rebased after a server restore, the roles stamp."""

    rebased: dict[str, int] = field(default_factory=dict)
    roles: str | None = None
    mismatches: dict[str, int] = field(default_factory=dict)


class PullEngine:
    """Pulls a client's partitions into its workspace."""

    def __init__(self, client: SyncClient) -> None:
        self.client = client
        self.ws = client.ws

    def pull(self, names: list[str], report: SyncReport, run: PullRun | None = None,
             on_first_answer: Callable[[PullRun], list[str]] | None = None) -> PullRun:
        """Pull `names` to their ends. `on_first_answer` may return partitions to add."""
        run = run or PullRun()
        active = list(dict.fromkeys(names))
        first = True
        while active:
            answer = self._ask(active, report)
            run.roles = answer.roles
            done = [str(page.partition) for page in answer.pages
                    if self._take(page, report, run)]
            active = [name for name in active if name not in done]
            if first and on_first_answer is not None:
                active += [n for n in on_first_answer(run) if n not in active and n not in done]
            first = False
        return run

    def _ask(self, names: list[str], report: SyncReport) -> PullResponse:
        from sync.client import TransientError  # noqa: PLC0415 (client imports this module)

        stored = self.ws.sync_cursors()
        cursors = {}
        for name in names:
            cursor = stored.get(name)
            cursors[Partition.parse(name)] = (Cursor(cursor["epoch"], cursor["seq"])
                                              if cursor else None)
        request = PullRequest(cursors, sent_at=self.client.sent_at())
        try:
            answer = PullResponse.from_wire(self.client.call(PULL_PATH, request.to_wire(),
                                                             report))
        except ProtocolError:
            raise TransientError("bad_answer") from None
        if {str(p.partition) for p in answer.pages} != set(names):
            raise TransientError("bad_answer")
        return answer

    def _take(self, page: PullPage, report: SyncReport, run: PullRun) -> bool:
        """Apply one page; True when its partition is finished (verified or given up)."""
        name = str(page.partition)
        changes, skipped = self.ws.apply_pull_page(
            name, [c.to_wire() for c in page.changes], page.cursor.to_wire())
        report.pulled += len(page.changes)
        report.skipped += skipped
        report.changed |= set(changes.entities)
        self.client.notify(Progress("pull", report.pulled, 0, 0, 0))
        if page.rebased_from is not None:
            run.rebased[name] = min(page.rebased_from, run.rebased.get(name, page.rebased_from))
        if page.more:
            return False
        if self.ws.ledger_checksum(name) == page.checksum or name in run.rebased:
            # After a rebase the ledger still holds what the server lost: it is checked on
            # the pull that follows the push again, not now.
            report.unverified.discard(name)
            return True
        run.mismatches[name] = run.mismatches.get(name, 0) + 1
        if run.mismatches[name] == 2 and name not in report.restarted:
            self.ws.restart_partition(name)
            report.restarted.add(name)
        elif run.mismatches[name] > 2:
            report.unverified.add(name)
            return True
        return False
