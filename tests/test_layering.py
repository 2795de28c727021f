"""The layering contract (ui -> sync -> asndesk; Qt only in ui/) holds, and would catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"],
                          cwd=tree, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "tree"
    copy.mkdir()
    shutil.copy(ROOT / "pyproject.toml", copy)
    for package in ("asndesk", "sync", "ui"):
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.skipif(not LINT.exists(), reason="import-linter is installed by ./dev.sh test")
def test_contracts_are_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.skipif(not LINT.exists(), reason="import-linter is installed by ./dev.sh test")
@pytest.mark.parametrize(("where", "line"), [
    ("asndesk/leak.py", "import sync\n"),
    ("asndesk/leak.py", "import ui\n"),
    ("sync/leak.py", "from PySide6 import QtCore\n"),
    ("asndesk/domain/leak.py", "import PySide6.QtWidgets\n"),
])
def test_a_breach_is_caught(tree_copy: Path, where: str, line: str) -> None:
    (tree_copy / where).write_text(f'"""Deliberate breach."""\n{line}')
    result = _lint(tree_copy)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
