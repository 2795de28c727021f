"""When syncs run: single-flight, debounced local changes, backoff that never gives up, locks."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sync.client import NeedsLogin, SyncError, SyncReport, TransientError
from sync.flight_lock import FlightLock
from sync.scheduler import BUSY_RETRY_S, Outcome, SyncScheduler


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Runs:
    """A sync that records its calls and fails as told."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail_with: list[Exception] = []
        self.during: list[object] = []

    def __call__(self) -> SyncReport:
        self.calls += 1
        for action in self.during:
            action()  # type: ignore[operator]
        if self.fail_with:
            raise self.fail_with.pop(0)
        return SyncReport()


def make(runs: Runs, clock: FakeClock, **kw: object) -> SyncScheduler:
    return SyncScheduler(runs, clock=clock, rand=lambda: 1.0, debounce_s=5, period_s=300,
                         base_delay_s=2, max_delay_s=60, **kw)  # type: ignore[arg-type]


def test_a_request_runs_once_then_the_timer_takes_over() -> None:
    runs, clock = Runs(), FakeClock()
    s = make(runs, clock)
    assert s.run_due() is None and s.due_in() is None      # nothing asked yet
    s.request("start")
    outcome = s.run_due()
    assert outcome is not None and outcome.error is None and runs.calls == 1
    assert s.run_due() is None and s.due_in() == 300
    clock.now += 300
    assert s.run_due() is not None and runs.calls == 2


def test_local_changes_are_debounced_into_one_sync() -> None:
    runs, clock = Runs(), FakeClock()
    s = make(runs, clock)
    for _ in range(4):              # a burst of edits, 3 s apart
        s.local_change()
        clock.now += 3
        assert s.run_due() is None
    assert s.due_in() == pytest.approx(2)
    clock.now += 2
    assert s.run_due() is not None and runs.calls == 1


def test_triggers_during_a_run_make_exactly_one_more_run() -> None:
    runs, clock = Runs(), FakeClock()
    s = make(runs, clock)
    runs.during = [lambda: s.request("manual"), s.network_up, lambda: s.request("manual")]
    s.request("start")
    assert s.run_due() is not None
    runs.during = []
    assert s.run_due() is not None      # the follow-up, at once
    assert s.run_due() is None and runs.calls == 2


def test_transient_failures_back_off_and_always_try_again() -> None:
    runs, clock = Runs(), FakeClock()
    seen: list[Outcome] = []
    s = make(runs, clock, on_outcome=seen.append)
    runs.fail_with = [TransientError("network") for _ in range(12)]
    s.request("start")
    for _ in range(12):
        clock.now += s.due_in() or 0
        assert s.run_due() is not None
    assert [o.retry_in for o in seen] == [2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60, 60]
    assert all(o.error == "network" and not o.needs_person for o in seen)
    s.local_change()                     # edits while offline wait for the backoff's attempt
    assert s.due_in() == 60
    clock.now += 60
    assert s.run_due() is not None and seen[-1].error is None   # the link is back
    assert s.due_in() == 300                                    # and the failures forgotten


def test_full_jitter_draws_within_the_backoff() -> None:
    runs, clock = Runs(), FakeClock()
    draws = iter([0.0, 0.5, 0.25])
    s = SyncScheduler(runs, clock=clock, rand=lambda: next(draws), base_delay_s=2)
    runs.fail_with = [TransientError("network")] * 3
    s.request()
    delays = []
    for _ in range(3):
        clock.now += s.due_in() or 0
        outcome = s.run_due()
        assert outcome is not None
        delays.append(outcome.retry_in)
    assert delays == [0.0, 0.5 * 4, 0.25 * 8]


def test_what_a_person_must_fix_pauses_until_asked() -> None:
    runs, clock = Runs(), FakeClock()
    s = make(runs, clock)
    runs.fail_with = [NeedsLogin("refresh_failed")]
    s.request("start")
    outcome = s.run_due()
    assert outcome is not None and outcome.needs_person and outcome.retry_in is None
    s.local_change()
    s.network_up()
    clock.now += 10_000
    assert s.run_due() is None and runs.calls == 1
    s.request("manual")                  # e.g. after logging in again
    assert s.run_due() is not None and runs.calls == 2


def test_a_refusal_keeps_the_normal_rhythm() -> None:
    runs, clock = Runs(), FakeClock()
    s = make(runs, clock)
    runs.fail_with = [SyncError("bad_answer")]
    s.request()
    outcome = s.run_due()
    assert outcome is not None and outcome.retry_in == 300 and s.due_in() == 300


def test_a_profile_synced_elsewhere_is_left_alone() -> None:
    runs, clock = Runs(), FakeClock()
    s = make(runs, clock, acquire=lambda: False)
    s.request()
    outcome = s.run_due()
    assert outcome is not None and outcome.error == "busy" and runs.calls == 0
    assert s.due_in() == BUSY_RETRY_S


def test_threads_never_run_two_syncs_at_once() -> None:
    active, most, calls = 0, 0, 0
    guard = threading.Lock()

    def slow_sync() -> SyncReport:
        nonlocal active, most, calls
        with guard:
            active += 1
            calls += 1
            most = max(most, active)
        time.sleep(0.05)
        with guard:
            active -= 1
        return SyncReport()

    s = SyncScheduler(slow_sync, debounce_s=0.01, period_s=3600)
    worker = threading.Thread(target=s.run_forever)
    worker.start()
    def poke() -> None:
        for _ in range(50):
            s.request()
            s.local_change()
            time.sleep(0.002)

    pokers = [threading.Thread(target=poke) for _ in range(4)]
    for t in pokers:
        t.start()
    for t in pokers:
        t.join()
    deadline = time.monotonic() + 10
    while (s.running or (s.due_in() or 0) < 3000) and time.monotonic() < deadline:
        time.sleep(0.01)
    s.stop()
    worker.join(timeout=5)
    assert most == 1 and 1 <= calls < 200    # coalesced, never concurrent


HOLD = """
import sys, time
from pathlib import Path
from sync.flight_lock import FlightLock
lock = FlightLock(Path(sys.argv[1]))
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_the_lock_is_per_profile_across_processes_and_dies_with_its_holder(
        tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        mine = FlightLock(tmp_path)
        assert not mine.acquire()
        other = tmp_path / "other-profile"
        other.mkdir()
        with FlightLock(other) as free:
            assert free.acquire()
        holder.kill()                    # kill -9: the OS drops its lock
        holder.wait(timeout=10)
        assert mine.acquire() and mine.acquire()     # re-entrant for its holder
        mine.release()
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert (tmp_path / "sync.lock").read_text().strip().isdigit()   # a PID, nothing secret
