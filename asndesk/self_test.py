"""`asndesk --self-test`: prove that this copy of asndesk (an installed bundle or the source
tree) works on this computer: an encrypted profile, a PDF report, the translations, and the
steps outer layers add (ui/: Qt offscreen). One OK line, or the failing step and exit 1.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from asndesk import __version__

# A step gets the self-test's scratch folder and returns a short detail for the OK line.
Step = Callable[[Path], str]

NIP = "199001012020121001"
NAMA = "Uji Mandiri"
PASSWORD = "uji-mandiri-asndesk"  # noqa: S105 (a throw-away profile in a temporary folder)
ACTIVITY = "Uji mandiri: merekam dan membaca kembali"
PDF_NAME = "self-test.pdf"
OK_LINE = "asndesk self-test OK"
FAIL_LINE = "asndesk self-test FAILED"

_extra_steps: dict[str, Step] = {}


def add_step(name: str, step: Step) -> None:
    """Outer layers (ui/) add their checks when they register their commands."""
    _extra_steps[name] = step


def profile_step(scratch: Path) -> str:
    """Create an encrypted profile, write one activity, lock, unlock and read it back."""
    from asndesk.store.keys import KdfParams  # noqa: PLC0415 (keep `asndesk --help` fast)
    from asndesk.store.profiles import ProfileManager  # noqa: PLC0415
    from asndesk.workspace import Workspace  # noqa: PLC0415

    manager = ProfileManager(scratch / "home", kdf_policy=KdfParams.floor)
    ws, _recovery = Workspace.create_profile(NIP, NAMA, PASSWORD, manager=manager)
    try:
        ws.add_log("2026-01-05", "08:00", "09:30", ACTIVITY)
    finally:
        ws.lock()
    ws = Workspace.open(NIP, PASSWORD, manager=manager)
    try:
        found = [row["kegiatan"] for row in ws.logs()]
    finally:
        ws.lock()
    if found != [ACTIVITY]:
        raise RuntimeError(f"read back {found!r} instead of the activity written")
    header = manager.get(NIP).db_path.read_bytes()[:16]
    if header.startswith(b"SQLite format 3"):
        raise RuntimeError("the profile database is not encrypted")
    return "profile"


def pdf_step(scratch: Path) -> str:
    """Render the monthly log report of the test profile (reportlab, fonts, Babel data)."""
    from asndesk.reports.service import Reports  # noqa: PLC0415
    from asndesk.store.keys import KdfParams  # noqa: PLC0415
    from asndesk.store.profiles import ProfileManager  # noqa: PLC0415
    from asndesk.workspace import Workspace  # noqa: PLC0415

    manager = ProfileManager(scratch / "home", kdf_policy=KdfParams.floor)
    ws = Workspace.open(NIP, PASSWORD, manager=manager)
    try:
        data = Reports(ws, locale="id").log(2026, 1)
    finally:
        ws.lock()
    if not data.startswith(b"%PDF-") or len(data) < 1000:
        raise RuntimeError(f"the report is not a PDF ({len(data)} bytes)")
    (scratch / PDF_NAME).write_bytes(data)
    return f"PDF {len(data) // 1024} KB"


def translations_step(scratch: Path) -> str:
    """The Indonesian catalogue is shipped and loads."""
    from asndesk.i18n import gettext, set_locale  # noqa: PLC0415

    set_locale("id")
    if not gettext("Saved (id {id}).").startswith("Tersimpan"):
        raise RuntimeError("the Indonesian translations (asndesk.mo) were not found")
    return "id"


CORE_STEPS: dict[str, Step] = {
    "profile": profile_step,
    "pdf": pdf_step,
    "translations": translations_step,
}


@contextmanager
def _private_home(scratch: Path) -> Iterator[None]:
    """Anything that falls back to the data home lands in the scratch folder, never in the
    person's real profiles."""
    saved = {key: os.environ.get(key) for key in ("ASNDESK_HOME", "ASNDESK_KDF")}
    os.environ["ASNDESK_HOME"] = str(scratch / "home")
    os.environ["ASNDESK_KDF"] = "floor"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_self_test(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step in order; stop at the first failure. Returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    started = time.monotonic()
    details: list[str] = []
    with tempfile.TemporaryDirectory(prefix="asndesk-self-test-") as tmp:
        scratch = Path(tmp)
        with _private_home(scratch):
            for name, step in [*CORE_STEPS.items(), *_extra_steps.items()]:
                try:
                    details.append(step(scratch))
                except Exception as exc:  # any failure is the report, whatever its type
                    print(f"{FAIL_LINE} at step \"{name}\": {type(exc).__name__}: {exc}",
                          file=err)
                    return 1
    elapsed = time.monotonic() - started
    print(f"{OK_LINE}: {', '.join(details)} ({elapsed:.1f} s, asndesk {__version__}"
          f"{', bundle' if getattr(sys, 'frozen', False) else ''})", file=out)
    return 0
