"""When to sync: single-flight runs on triggers, a timer, and backoff after failures (Qt-free).

Triggers: start, a local change (debounced, so a burst of edits is one sync), the network
coming back, a timer, or the person asking. At most one sync runs at a time; a trigger that
arrives during a run makes exactly one more run follow it. A transient failure (no link, a
reset, a captive portal) is retried after full-jitter exponential backoff, and there is always
a next attempt: the delay is capped, never given up. What only a person can fix (log in again,
a revoked device) stops the automatic attempts until someone asks again.

The caller decides the thread: `run_forever` runs syncs in the calling thread (the one that
owns the profile's store connection); the trigger methods may be called from any thread.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sync.client import DeviceRevoked, NeedsLogin, SyncError, SyncReport, TransientError

DEBOUNCE_S = 5.0      # quiet time after the last local change before it is synced
PERIOD_S = 300.0      # a sync at least this often while the app runs
BASE_DELAY_S = 2.0
MAX_DELAY_S = 300.0
BUSY_RETRY_S = 30.0   # another process holds the profile's sync: look again after this


@dataclass(frozen=True)
class Outcome:
    """What one run ended with; `retry_in` is when the next automatic attempt comes."""

    reason: str                    # the trigger that started it ("start", "local", …)
    report: SyncReport | None = None
    error: str | None = None       # SyncError code; None when the run succeeded
    needs_person: bool = False     # login again or revoked: no automatic retry
    retry_in: float | None = None


class SyncScheduler:
    """Decides when `run_sync` is called, and makes sure it never runs twice at once."""

    def __init__(self, run_sync: Callable[[], SyncReport], *,
                 acquire: Callable[[], bool] = lambda: True,
                 release: Callable[[], None] = lambda: None,
                 clock: Callable[[], float] = time.monotonic,
                 rand: Callable[[], float] = random.random,
                 debounce_s: float = DEBOUNCE_S, period_s: float = PERIOD_S,
                 base_delay_s: float = BASE_DELAY_S, max_delay_s: float = MAX_DELAY_S,
                 on_outcome: Callable[[Outcome], None] | None = None) -> None:
        self._run_sync, self._acquire, self._release = run_sync, acquire, release
        self._clock, self._rand = clock, rand
        self.debounce_s, self.period_s = debounce_s, period_s
        self.base_delay_s, self.max_delay_s = base_delay_s, max_delay_s
        self.on_outcome = on_outcome
        self._cond = threading.Condition()
        self._running = False
        self._due: float | None = None      # when the next run should start
        self._reason = "start"
        self._failures = 0
        self._paused = False                # waiting for a person (login, revoked device)
        self._stopped = False

    # -- triggers (any thread) -----------------------------------------------------------
    def request(self, reason: str = "manual") -> None:
        """Sync as soon as possible (a person asked, the app started, the network is back)."""
        self._schedule(reason, 0.0, person=reason == "manual")

    def local_change(self) -> None:
        """A local edit was committed: sync once the edits have paused for `debounce_s`."""
        self._schedule("local", self.debounce_s, person=False, debounce=True)

    def network_up(self) -> None:
        self._schedule("network", 0.0, person=False)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    # -- state ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def due_in(self) -> float | None:
        """Seconds until the next run (0: due now), or None while nothing is scheduled."""
        with self._cond:
            return None if self._due is None else max(0.0, self._due - self._clock())

    # -- running (the thread that owns the store) ----------------------------------------
    def run_due(self) -> Outcome | None:
        """Run one sync if one is due now; returns its outcome (None: nothing due)."""
        with self._cond:
            if self._running or self._due is None or self._due > self._clock():
                return None
            self._running, reason, self._due = True, self._reason, None
        try:
            outcome = self._attempt(reason)
        finally:
            with self._cond:
                self._running = False
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    def run_forever(self, stop: threading.Event | None = None) -> None:
        """Wait for triggers and the timer, run what is due, until `stop()` (or `stop` is set)."""
        while not self._stopped and not (stop is not None and stop.is_set()):
            with self._cond:
                wait = None if self._due is None else self._due - self._clock()
                if wait is None or wait > 0:
                    self._cond.wait(timeout=1.0 if wait is None else min(wait, 1.0))
                    continue
            self.run_due()

    # -- internals -----------------------------------------------------------------------
    def _schedule(self, reason: str, delay: float, *, person: bool,
                  debounce: bool = False) -> None:
        with self._cond:
            if self._paused and not person:
                return
            if debounce and self._reason == "retry" and self._due is not None:
                return  # offline: edits wait for the backoff's attempt, not one each
            self._paused = self._paused and not person
            at = self._clock() + delay
            # A debounced trigger moves its own run later; any other only ever brings one nearer.
            if self._due is None or at < self._due or (debounce and self._reason == "local"):
                self._due, self._reason = at, reason
            self._cond.notify_all()

    def _attempt(self, reason: str) -> Outcome:
        if not self._acquire():
            return self._next(Outcome(reason, error="busy", retry_in=BUSY_RETRY_S))
        try:
            report = self._run_sync()
        except (NeedsLogin, DeviceRevoked) as err:
            with self._cond:
                self._paused = True
            return Outcome(reason, error=err.code, needs_person=True)
        except TransientError as err:
            self._failures += 1
            delay = self._rand() * min(self.max_delay_s,
                                       self.base_delay_s * 2 ** (self._failures - 1))
            return self._next(Outcome(reason, error=err.code, retry_in=delay))
        except SyncError as err:
            # A refusal a retry will not change soon (e.g. a bad answer from a wrong server):
            # keep the normal rhythm rather than hammering.
            return self._next(Outcome(reason, error=err.code, retry_in=self.period_s))
        finally:
            self._release()
        self._failures = 0
        return self._next(Outcome(reason, report=report, retry_in=self.period_s))

    def _next(self, outcome: Outcome) -> Outcome:
        """Schedule the follow-up: the retry or the timer, unless a trigger came sooner."""
        assert outcome.retry_in is not None
        retry = "retry" if outcome.error else "timer"
        with self._cond:
            at = self._clock() + outcome.retry_in
            if self._due is None or at < self._due:
                self._due, self._reason = at, retry
        return outcome
