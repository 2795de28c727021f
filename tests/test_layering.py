"""The layering contract (ui -> sync -> asndesk; Qt only in ui/) holds, and would catch a breach."""

from __future__ import annotations

import ast
import re
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


SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|SAVEPOINT|RELEASE"
                 r"|ROLLBACK|BEGIN|WITH)\s")  # our SQL is uppercase; "Select a file" is not SQL


def _sql_strings(path: Path) -> list[str]:
    """Where a module spells out SQL: string constants (f-string parts too) that start a
    statement."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(
                node.value):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}:{node.lineno}: {node.value[:40]!r}")
    return found


def test_only_the_store_talks_sql_on_the_client() -> None:
    # architecture.md: only asndesk/store/ talks SQL on the client (the server's SQLAlchemy
    # Core in sync/server/ is the server's own store).
    modules = [p for p in (ROOT / "asndesk").rglob("*.py") if "store" not in p.parts]
    modules += [p for p in (ROOT / "sync").glob("*.py")]
    modules += list((ROOT / "ui").rglob("*.py"))
    offenders = [hit for path in modules for hit in _sql_strings(path)]
    assert offenders == []


def test_the_sql_check_would_catch_a_breach(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text('conn.execute(f"UPDATE {table} SET a = 1")\nprint("Select a file")\n'
                      'tx.execute("SELECT 1")\n')
    assert sorted(h.split(": ", 1)[1] for h in _sql_strings(sample)) == ["'SELECT 1'", "'UPDATE '"]
