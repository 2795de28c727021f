"""Start the real app under Xvfb (xcb) with a private D-Bus session and read it over AT-SPI.

The reader is tools/atspi_probe.py under Debian's /usr/bin/python3 (where pyatspi lives), in
another process, exactly as a screen reader would see the app (stack-notes.md recipe). The
check functions turn its dumps into lists of offenders (accessibility.md A-01/A-06/A-10/A-21).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tools" / "atspi_probe.py"
SYSTEM_PYTHON = "/usr/bin/python3"
SPECIFIC_TITLE = "asndesk — "  # every window title names the app and then what it is for

Dump = list[dict[str, Any]]


def require_atspi() -> None:
    """Skip (with the reason) where the AT-SPI stack is not installed; CI installs it."""
    missing = [tool for tool in ("xvfb-run", "dbus-run-session") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"AT-SPI test needs {', '.join(missing)} (apt: xvfb dbus at-spi2-core)")
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip(f"AT-SPI test needs {SYSTEM_PYTHON} with pyatspi (apt: python3-pyatspi)")
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if check.returncode != 0:
        pytest.skip(f"AT-SPI test needs python3-pyatspi for {SYSTEM_PYTHON}")


def run_probe(home: Path, steps: list[dict[str, Any]], tmp: Path,
              app_args: list[str] | None = None, timeout: float = 90,
              command: list[str] | None = None) -> dict[str, Any]:
    """Run the app with ASNDESK_HOME=`home`, play `steps` through AT-SPI, return the result.

    `command` runs another build of the app instead (the installer test passes the bundled
    executable); by default it is this source tree's app under the test interpreter."""
    require_atspi()
    tmp.mkdir(parents=True, exist_ok=True)
    steps_file, out_file, log_file = tmp / "steps.json", tmp / "result.json", tmp / "app.log"
    steps_file.write_text(json.dumps(steps), encoding="utf-8")
    command = [*(command or [sys.executable, "-m", "tests.ui.atspi_app"]), *(app_args or [])]
    script = tmp / "run.sh"
    script.write_text("\n".join([
        "set -u",
        f"export ASNDESK_HOME={shlex.quote(str(home))}",
        "export QT_QPA_PLATFORM=xcb QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 ASNDESK_KDF=floor",
        "export ASNDESK_LANG=id",
        f"{shlex.join(command)} > {shlex.quote(str(log_file))} 2>&1 &",
        "APP=$!",
        f"{SYSTEM_PYTHON} {shlex.quote(str(PROBE))} --pid $APP "
        f"--steps {shlex.quote(str(steps_file))} --out {shlex.quote(str(out_file))}",
        "RC=$?",
        "kill $APP 2>/dev/null; wait $APP 2>/dev/null",
        "exit $RC",
    ]), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", "dbus-run-session", "--",
         "bash", str(script)], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout)
    log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    if not out_file.exists():
        raise AssertionError(f"probe wrote nothing (rc {proc.returncode}):\n{proc.stderr[-2000:]}"
                             f"\napp log:\n{log[-2000:]}")
    result: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    result["app_log"] = log
    return result


def require_ok(result: dict[str, Any]) -> None:
    if result.get("error"):
        raise AssertionError(f"AT-SPI probe (after {result.get('steps_done')} steps): "
                             f"{result['error']}\napp log:\n{result['app_log'][-3000:]}")


def all_dumps(result: dict[str, Any]) -> Iterator[tuple[str, Dump]]:
    """(what was on screen, its windows) for every dump and every page the probe saw."""
    yield from result.get("dumps", {}).items()
    for page in result.get("pages", []):
        yield f"page {page['name']}", page["dump"]


def nodes(dump: Dump) -> Iterator[tuple[str, dict[str, Any]]]:
    for window in dump:
        for node in window["nodes"]:
            yield window["window"]["name"], node


def _who(where: str, node: dict[str, Any]) -> str:
    return f"{where}: {node['role']} {node['id'].rsplit('.', 1)[-1] or node['name']!r}"


def unnamed_focusable(dump: Dump, where: str = "") -> list[str]:
    """A-01: showing, focusable nodes without a name. On Linux a combo box's name is its
    current value, so a combo counts as named only through a labelled-by relation."""
    offenders = []
    for window, node in nodes(dump):
        if not (node["focusable"] and node["showing"]):
            continue
        if node["role"] == "combo box":
            named = any(any(t.strip() for t in rel) for rel in node["labelled_by"])
        else:
            named = bool(node["name"].strip())
        if not named:
            offenders.append(_who(f"{where} {window}".strip(), node))
    return offenders


def title_problems(titles: dict[str, str]) -> list[str]:
    """A-06: {which window: its AT-SPI title} — specific ("asndesk — …") and unique."""
    problems = [f"{which}: title {title!r} is not specific" for which, title in titles.items()
                if not title.startswith(SPECIFIC_TITLE) or
                not title[len(SPECIFIC_TITLE):].strip()]
    seen: dict[str, str] = {}
    for which, title in titles.items():
        if title in seen:
            problems.append(f"{which} and {seen[title]} share the title {title!r}")
        seen.setdefault(title, which)
    return problems


def windows_of(dump: Dump) -> list[dict[str, Any]]:
    return [w["window"] for w in dump]


def tables(dump: Dump) -> list[tuple[str, dict[str, Any]]]:
    return [(window, node) for window, node in nodes(dump) if "table" in node]


def table_problems(dump: Dump, where: str = "") -> list[str]:
    """A-10: a name, a header per column, and readable cells (column 0 says what the row is)."""
    problems = []
    for window, node in tables(dump):
        who = _who(f"{where} {window}".strip(), node)
        table = node["table"]
        if not node["name"].strip():
            problems.append(f"{who}: no accessible name")
        if table is None:
            problems.append(f"{who}: no Table interface")
            continue
        for column, header in enumerate(table["headers"]):
            if not header.strip():
                problems.append(f"{who}: column {column} has no header name")
        for row, cells in enumerate(table["cells"]):
            if any(cell is None for cell in cells):
                problems.append(f"{who}: row {row} has cells a screen reader cannot read")
            elif cells and not cells[0].strip():
                problems.append(f"{who}: row {row} column 0 is empty (it should summarise)")
    return problems


def is_chart(node: dict[str, Any]) -> bool:
    """QtCharts views expose nothing inside; they are known by role or objectName."""
    leaf = node["id"].rsplit(".", 1)[-1].lower()
    return node["role"] in ("chart", "canvas") or "chart" in leaf


def chart_problems(dump: Dump, where: str = "") -> list[str]:
    """A-21: a page with a chart also shows a named table (its equivalent)."""
    charts = [(window, node) for window, node in nodes(dump) if is_chart(node)]
    if not charts or any(node["name"].strip() for _w, node in tables(dump)):
        return []
    return [f"{_who(f'{where} {window}'.strip(), node)}: a chart without a table"
            for window, node in charts]
