"""Background work for the GUI: one DB lane that owns the store, one IO lane for network/PDF.

Results come back on the GUI thread through a queued signal; widgets are never touched from a
worker (architecture §6). Anki's `CollectionOp` and Electrum's task thread are the models.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _CollectorPause:
    """Python's cyclic garbage collector is off while any IO-lane job runs.

    A PDF layout builds millions of objects, and every full collection it triggers walks them
    all while holding the GIL: the GUI thread froze for up to 1.4 s while a month of 4,000 log
    entries rendered (bench/ui_startup.py); with the pause, no gap over 50 ms. The job's objects
    are freed by reference counting as it ends; cycles wait for the next collection.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._resume = False

    def run(self, fn: Callable[[], Any]) -> Any:
        with self._lock:
            if self._running == 0:
                self._resume = gc.isenabled()  # someone else's gc.disable() stays
                gc.disable()
            self._running += 1
        try:
            return fn()
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0 and self._resume:
                    gc.enable()


_COLLECTOR = _CollectorPause()  # process-wide, as the collector is


class TaskRunner(QObject):
    """`db(fn)` runs on the single store thread, `io(fn)` on a small pool; both return a Future.

    `on_done(result)` / `on_error(exc)` run on the GUI thread. Uncaught errors go to
    `failed` so the window can show them instead of losing them silently.
    """

    _deliver = Signal(object)
    failed = Signal(object)  # an exception no caller handled
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, io_workers: int = 2) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asndesk-db")
        self._io = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="asndesk-io")
        # Office-server calls (administration): one at a time, on their own connection to the
        # profile, so a slow link neither holds the DB lane nor fills the IO pool.
        self._net = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asndesk-net")
        self._pending = 0
        self._closed = False
        self._lock = threading.Lock()
        self._deliver.connect(self._run_callback, Qt.ConnectionType.QueuedConnection)

    def db(self, fn: Callable[[], Any], on_done: Done | None = None,
           on_error: Failed | None = None) -> Future[Any]:
        """Run `fn` on the DB lane (the only thread that touches the open workspace)."""
        return self._submit(self._db, fn, on_done, on_error)

    def io(self, fn: Callable[[], Any], on_done: Done | None = None,
           on_error: Failed | None = None) -> Future[Any]:
        """Run `fn` on the IO lane (network, PDF rendering, file reading), with the cyclic
        garbage collector paused while it runs (see `_CollectorPause`)."""
        return self._submit(self._io, lambda: _COLLECTOR.run(fn), on_done, on_error)

    def net(self, fn: Callable[[], Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> Future[Any]:
        """Run `fn` on the network lane (calls to the office server's routes)."""
        return self._submit(self._net, fn, on_done, on_error)

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet (tests wait for 0)."""
        return self._pending

    def _submit(self, pool: ThreadPoolExecutor, fn: Callable[[], Any], on_done: Done | None,
                on_error: Failed | None) -> Future[Any]:
        if self._closed:
            # At exit, late signals (a sync that just finished) may still ask for a refresh:
            # there is no window left to show it, so the task is dropped, not raised.
            log.debug("task after shutdown dropped")
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        with self._lock:
            self._pending += 1
            first = self._pending == 1
        if first:
            self.busy_changed.emit(True)
        future = pool.submit(fn)
        future.add_done_callback(lambda f: self._deliver.emit((f, on_done, on_error)))
        return future

    @Slot(object)
    def _run_callback(self, packed: tuple[Future[Any], Done | None, Failed | None]) -> None:
        future, on_done, on_error = packed
        try:
            if future.cancelled():
                return  # dropped at shutdown: there is no window left to answer
            exc = future.exception()
            if exc is None:
                if on_done is not None:
                    on_done(future.result())
            elif on_error is not None:
                on_error(exc)
            else:
                log.error("background task failed: %s", type(exc).__name__)
                self.failed.emit(exc)
        finally:
            with self._lock:
                self._pending -= 1
                idle = self._pending == 0
            if idle:
                self.busy_changed.emit(False)

    def shutdown(self, wait: bool = True) -> None:
        """Finish queued DB work (a save must not be lost at exit), drop queued IO work."""
        self._closed = True
        self._io.shutdown(wait=False, cancel_futures=True)
        self._net.shutdown(wait=False, cancel_futures=True)
        self._db.shutdown(wait=wait)


_frozen: list[bool] = []


def freeze_startup_objects() -> None:
    """Once per process, after the first window is built: move every object made so far
    (modules, classes, that window) out of the cyclic collector's way. A full collection
    walked ~150k objects for 0.1-0.15 s with the GIL held, freezing the GUI whichever thread
    triggered it (bench/ui_startup.py); now it walks only what was made since. The cost: if
    that first window is closed (lock), its reference cycles are never freed (one window)."""
    if not _frozen:
        _frozen.append(True)
        gc.freeze()
