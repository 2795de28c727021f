"""`asndesk --self-test` from source: one OK line and exit 0, or the failing step and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asndesk import self_test
from asndesk.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_self_test_from_source_prints_one_ok_line(tmp_path: Path) -> None:
    env = {**os.environ, "ASNDESK_HOME": str(tmp_path / "real-home")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test starts Qt offscreen by itself
    done = subprocess.run([sys.executable, "-m", "asndesk", "--self-test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(self_test.OK_LINE), done.stdout
    for part in ("profile", "PDF", "id", "Qt offscreen"):
        assert part in lines[0]
    assert not (tmp_path / "real-home").exists()  # the person's data home is never touched


def test_a_failing_step_is_named_and_exits_1(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from reportlab.pdfgen import canvas

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # The report renderer draws through reportlab's canvas: break it, as a missing font would.
    monkeypatch.setattr(canvas.Canvas, "save", broken)
    assert main(["--self-test"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (f'{self_test.FAIL_LINE} at step "pdf": OSError: disk full')


def test_steps_run_in_order_and_stop_at_the_first_failure(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    ran: list[str] = []

    def step(name: str, fail: bool = False) -> self_test.Step:
        def run(scratch: Path) -> str:
            ran.append(name)
            assert scratch.is_dir() and os.environ["ASNDESK_HOME"].startswith(str(scratch))
            if fail:
                raise RuntimeError(f"{name} broke")
            return name
        return run

    monkeypatch.setattr(self_test, "CORE_STEPS", {"a": step("a"), "b": step("b", fail=True)})
    monkeypatch.setattr(self_test, "_extra_steps", {"c": step("c")})
    assert self_test.run_self_test() == 1
    assert ran == ["a", "b"]
    assert 'at step "b": RuntimeError: b broke' in capsys.readouterr().err
    monkeypatch.setattr(self_test, "CORE_STEPS", {"a": step("a")})
    assert self_test.run_self_test() == 0
    assert ran[-2:] == ["a", "c"]
    assert capsys.readouterr().out.startswith(f"{self_test.OK_LINE}: a, c (")
