"""No long garbage collections on the way of the GUI (bench/ui_startup.py found 0.1-1.4 s
freezes): the IO lane pauses the cyclic collector while its jobs run (a big PDF layout), and
the objects made up to the first window are frozen out of every later full collection."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from ui.task_runner import TaskRunner


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown(wait=True)


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_collector_is_off_while_any_io_job_runs_and_back_after(qtbot, runner) -> None:
    seen: list[tuple[str, bool]] = []
    first_done, release_second = threading.Event(), threading.Event()

    def first() -> None:
        seen.append(("first", gc.isenabled()))

    def second() -> None:
        seen.append(("second", gc.isenabled()))
        release_second.wait(5)
        seen.append(("second, after the first ended", gc.isenabled()))

    runner.io(second)
    runner.io(first, lambda _r: first_done.set())
    qtbot.waitUntil(first_done.is_set, timeout=5000)
    assert not gc.isenabled()  # the second job still runs
    release_second.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert sorted(seen) == [("first", False), ("second", False),
                            ("second, after the first ended", False)]
    assert gc.isenabled()


def test_a_failing_job_resumes_the_collector_and_db_jobs_leave_it_alone(qtbot, runner
                                                                        ) -> None:
    errors: list[BaseException] = []

    def boom() -> None:
        raise OSError("disk gone")

    runner.io(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert isinstance(errors[0], OSError) and gc.isenabled()
    during: list[bool] = []
    runner.db(lambda: during.append(gc.isenabled()))
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert during == [True]


def test_a_collector_someone_disabled_stays_disabled(qtbot, runner) -> None:
    gc.disable()
    runner.io(lambda: None)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert not gc.isenabled()


def test_after_the_first_unlock_the_startup_objects_are_frozen(unlocked) -> None:
    assert unlocked.window is not None
    assert gc.get_freeze_count() > 10_000  # modules, classes and the first window
