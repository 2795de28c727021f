#!/usr/bin/python3
"""Read (and drive) a running asndesk through AT-SPI, the way Orca sees it.

Runs with Debian's /usr/bin/python3 (pyatspi is not in the venv), inside the same
`dbus-run-session` as the app. Steps come as JSON; the result (tree dumps, announcements,
failures) is written as JSON for the test to judge:

    atspi_probe.py --pid PID --steps steps.json --out result.json

A node is found by `id` (its objectName: Qt exposes the objectName path as the accessible id)
or by `name` (contained in the accessible name), optionally with a `role`. Steps:
  {"wait": {...}}                    until a showing node matches
  {"gone": {...}}                    until no showing node matches
  {"type": {..., "text": "…"}}       focus an editable node, set its text (EditableText)
  {"press": {...}}                   doAction(0) ("Press") on the node
  {"focused": {...}}                 until the node has the focused state
  {"select": {"list": {...}, "item": "…"}}   select a list item (Selection interface)
  {"row": {"table": {...}, "text": "…"}}   until one of the table's first rows shows it
  {"dump": "label"}                  every showing window, its showing nodes, tables read
  {"pages": {"list": {...}}}         select each item of that list, wait for the page heading
                                     of the same name, dump the windows (result["pages"])
  {"announcement": "text"}           until an object:announcement containing it arrives
                                     after the last "press"/"type" step
Every step takes "timeout" (seconds, default 10).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from typing import Any

import pyatspi
from gi.repository import GLib

TABLE_ROLES = ("table", "tree table")
SAMPLE_ROWS = 3       # table rows read per table (reading every cell of 100k rows is not a check)
OPAQUE_ROLES = ("combo box", "table", "tree table", "menu bar", "page tab list", "spin button",
                "date editor")
announcements: list[dict[str, Any]] = []


def on_announcement(event: Any) -> None:
    announcements.append({"text": str(event.any_data), "at": time.monotonic(),
                          "source": safe(lambda: event.source.name, "")})


def safe(fn: Any, default: Any) -> Any:
    """AT-SPI calls fail when a node goes away mid-walk; such a node is simply skipped."""
    try:
        return fn()
    except Exception:
        return default


def pump(seconds: float = 0.0) -> None:
    """Let AT-SPI events arrive (the listener runs inside GLib's main context)."""
    end = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while True:
        while context.pending():
            context.iteration(False)
        if time.monotonic() >= end:
            return
        time.sleep(0.02)


def find_app(pid: int, timeout: float) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and safe(app.get_process_id, None) == pid:
                return app
        pump(0.2)
    raise LookupError(f"no AT-SPI application with pid {pid}")


def showing(node: Any) -> bool:
    return safe(lambda: node.getState().contains(pyatspi.STATE_SHOWING), False)


def walk(node: Any, depth: int = 0) -> list[Any]:
    """The node and its showing descendants; tables and combos are read, not descended."""
    found = [node]
    if depth > 60 or safe(node.getRoleName, "") in OPAQUE_ROLES:
        return found
    for child in safe(lambda: list(node), []):
        if child is not None and showing(child):
            found.extend(walk(child, depth + 1))
    return found


def accessible_id(node: Any) -> str:
    return safe(node.get_accessible_id, "") or ""


def read_table(node: Any) -> dict[str, Any] | None:
    table = safe(node.queryTable, None)
    if table is None:
        return None
    rows, cols = safe(lambda: table.nRows, 0), safe(lambda: table.nColumns, 0)
    headers = []
    for c in range(cols):
        header = safe(lambda c=c: table.getColumnHeader(c), None)
        text = safe(lambda h=header: h.name, "") if header is not None else ""
        headers.append(text or safe(lambda c=c: table.getColumnDescription(c), "") or "")
    cells = [[safe(lambda r=r, c=c: table.getAccessibleAt(r, c).name, None)
              for c in range(cols)] for r in range(min(rows, SAMPLE_ROWS))]
    return {"rows": rows, "columns": cols, "headers": headers, "cells": cells}


def describe(node: Any) -> dict[str, Any]:
    states = safe(node.getState, None)
    relations = []
    for rel in safe(node.getRelationSet, []):
        if safe(rel.getRelationType, None) == pyatspi.RELATION_LABELLED_BY:
            relations.append([safe(lambda i=i, r=rel: r.getTarget(i).name, "")
                              for i in range(rel.getNTargets())])
    action = safe(node.queryAction, None)
    actions = [safe(lambda i=i: action.getName(i), "") for i in range(action.nActions)] \
        if action is not None else []
    role = safe(node.getRoleName, "")

    def has(state: Any) -> bool:
        return bool(states is not None and states.contains(state))
    described = {
        "role": role, "name": safe(lambda: node.name, "") or "",
        "description": safe(lambda: node.description, "") or "", "id": accessible_id(node),
        "focusable": has(pyatspi.STATE_FOCUSABLE), "showing": has(pyatspi.STATE_SHOWING),
        "focused": has(pyatspi.STATE_FOCUSED), "enabled": has(pyatspi.STATE_ENABLED),
        "labelled_by": relations, "actions": actions,
    }
    if role in TABLE_ROLES:
        described["table"] = read_table(node)
    return described


def windows(app: Any) -> list[Any]:
    return [w for w in safe(lambda: list(app), []) if w is not None and showing(w)]


def editable(node: Any) -> bool:
    return safe(node.queryEditableText, None) is not None


def matches(node: Any, spec: dict[str, Any]) -> bool:
    if "id" in spec:
        aid = accessible_id(node)
        if aid != spec["id"] and not aid.endswith("." + spec["id"]):
            return False
    if "name" in spec and spec["name"] not in (safe(lambda: node.name, "") or ""):
        return False
    if "exact" in spec and (safe(lambda: node.name, "") or "") != spec["exact"]:
        return False
    roles = spec.get("role")
    if roles is not None:
        role = safe(node.getRoleName, "")
        if role not in ([roles] if isinstance(roles, str) else roles):
            return False
    return True


def find(app: Any, spec: dict[str, Any], want_editable: bool = False) -> Any | None:
    for window in windows(app):
        for node in walk(window):
            if matches(node, spec) and (not want_editable or editable(node)):
                return node
    return None


def wait_for(app: Any, spec: dict[str, Any], timeout: float, want_editable: bool = False) -> Any:
    end = time.monotonic() + timeout
    while True:
        found = find(app, spec, want_editable)
        if found is not None:
            return found
        if time.monotonic() > end:
            raise LookupError(f"not found within {timeout} s: {spec}")
        pump(0.1)


def wait_until(check: Any, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise LookupError(f"timed out ({timeout} s): {what}")
        pump(0.1)


def dump(app: Any) -> list[dict[str, Any]]:
    return [{"window": describe(w), "nodes": [describe(n) for n in walk(w)]}
            for w in windows(app)]


def list_items(app: Any, spec: dict[str, Any], timeout: float) -> tuple[Any, list[Any]]:
    node = wait_for(app, {**spec, "role": "list"}, timeout)
    return node, [c for c in safe(lambda: list(node), []) if c is not None
                  and safe(c.getRoleName, "") == "list item"]


def select_item(app: Any, list_spec: dict[str, Any], item: Any, timeout: float) -> str:
    """Select the item the way a screen reader does (Selection), then wait for its page."""
    node, items = list_items(app, list_spec, timeout)
    names = [safe(lambda c=c: c.name, "") for c in items]
    index = item if isinstance(item, int) else names.index(item)
    if not node.querySelection().selectChild(index):
        raise LookupError(f"the list refused to select {names[index]!r}")
    wait_for(app, {"exact": names[index], "role": ["label", "heading"]}, timeout)
    return names[index]


class Player:
    """Plays the steps against one application; `result` fills as they go, so a failure
    still reports what was seen."""

    def __init__(self, app: Any, result: dict[str, Any]) -> None:
        self.app, self.result = app, result
        self.last_action = 0.0  # announcements count from the last press/type on

    def play(self, step: dict[str, Any]) -> None:
        timeout = float(step.get("timeout", 10))
        kind = next(k for k in step if k != "timeout")
        handler = getattr(self, "step_" + kind, None)
        if handler is None:
            raise ValueError(f"unknown step {step}")
        handler(step[kind], timeout)

    def step_wait(self, spec: dict[str, Any], timeout: float) -> None:
        wait_for(self.app, spec, timeout)

    def step_gone(self, spec: dict[str, Any], timeout: float) -> None:
        wait_until(lambda: find(self.app, spec) is None, timeout, f"gone {spec}")

    def step_type(self, spec: dict[str, Any], timeout: float) -> None:
        node = wait_for(self.app, spec, timeout, want_editable=True)
        safe(lambda: node.queryComponent().grabFocus(), None)
        self.last_action = time.monotonic()
        if not node.queryEditableText().setTextContents(spec["text"]):
            raise LookupError(f"text refused by {spec}")

    def step_press(self, spec: dict[str, Any], timeout: float) -> None:
        node = wait_for(self.app, spec, timeout)
        self.last_action = time.monotonic()
        node.queryAction().doAction(0)

    def step_focused(self, spec: dict[str, Any], timeout: float) -> None:
        def focused() -> bool:
            node = find(self.app, spec)
            return node is not None and node.getState().contains(pyatspi.STATE_FOCUSED)
        wait_until(focused, timeout, f"focus on {spec}")

    def step_select(self, spec: dict[str, Any], timeout: float) -> None:
        select_item(self.app, spec["list"], spec["item"], timeout)

    def step_row(self, spec: dict[str, Any], timeout: float) -> None:
        def has_row() -> bool:
            node = find(self.app, spec["table"])
            table = read_table(node) if node is not None else None
            return table is not None and any(
                spec["text"] in (cell or "") for row in table["cells"] for cell in row)
        wait_until(has_row, timeout, f"a row with {spec['text']!r} in {spec['table']}")

    def step_dump(self, label: str, _timeout: float) -> None:
        pump(0.3)
        self.result["dumps"][label] = dump(self.app)

    def step_pages(self, spec: dict[str, Any], timeout: float) -> None:
        _node, items = list_items(self.app, spec["list"], timeout)
        for index in range(len(items)):
            name = select_item(self.app, spec["list"], index, timeout)
            pump(0.3)  # the page's first data arrives from the DB lane
            self.result["pages"].append({"name": name, "dump": dump(self.app)})

    def step_announcement(self, wanted: str, timeout: float) -> None:
        since = self.last_action
        wait_until(lambda: any(wanted in a["text"] and a["at"] >= since
                               for a in announcements), timeout,
                   f"announcement containing {wanted!r}")


def run(pid: int, steps: list[dict[str, Any]], result: dict[str, Any]) -> None:
    pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
    player = Player(find_app(pid, 20.0), result)
    for step in steps:
        player.play(step)
        result["steps_done"] += 1
        pump(0.05)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--steps", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.steps, encoding="utf-8") as fh:
        steps = json.load(fh)
    result: dict[str, Any] = {"dumps": {}, "pages": [], "announcements": announcements,
                              "error": None, "steps_done": 0}
    try:
        run(args.pid, steps, result)
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-1500:]}"
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1)
    return 0 if result.get("error") is None else 1


if __name__ == "__main__":
    sys.exit(main())
