"""What a screen reader sees (AT-SPI, accessibility.md A-01/A-06/A-10/A-12/A-19/A-21): the real
app under Xvfb, read and driven from another process. Two app runs of a few seconds each: the
first unlocks, walks every page of the navigation list and saves a log entry; the second waits
for the idle auto-lock warning."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from asndesk.i18n import _, current_locale, ngettext, set_locale
from asndesk.store.keys import KdfParams
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace
from tests.conftest import NIP, PASSWORD
from tests.ui.atspi_harness import (
    all_dumps,
    chart_problems,
    is_chart,
    nodes,
    require_ok,
    run_probe,
    table_problems,
    title_problems,
    unnamed_focusable,
    windows_of,
)
from ui.auto_lock import WARNING_S

NAME = "Siti Aminah"
EARLIER = "Rapat koordinasi penyusunan SKP"   # in the profile before the app starts
ENTRY = "Menyusun notula rapat lewat AT-SPI"  # typed through AT-SPI
NAV = {"id": "main_window.nav"}


def plain(label: str) -> str:
    return label.replace("&", "")


def warning_prefix() -> str:
    """The idle warning up to its number (the seconds left differ from run to run)."""
    return ngettext("No activity: your profile will lock in {n} second. Your typing is kept.",
                    "No activity: your profile will lock in {n} seconds. Your typing is kept.",
                    WARNING_S).split("{n}")[0]


def _profile(home: Path) -> Path:
    ws, _key = Workspace.create_profile(NIP, NAME, PASSWORD,
                                        manager=ProfileManager(home, kdf_policy=KdfParams.floor))
    # An entry already there, so the tables have rows whose cells can be read.
    ws.add_log(date.today() - timedelta(days=1), "08:00", "09:30", EARLIER)
    # A supervisor, HR officer and admin as the server's /me would say, so the walk reaches
    # the role pages too (Bawahan, Unit Kerja, Organisasi).
    ws.record_roles({
        "nip": NIP, "nama": NAME, "jabatan": "Kepala Seksi", "unit_id": "KEC-01",
        "is_admin": True, "server_time": "2026-12-07T00:00:00+00:00",
        "subordinates": [{"nip": "199001012020122002", "nama": "Rina Wulandari",
                          "jabatan": "Pengadministrasi", "unit_id": "KEC-01",
                          "link_id": "link-1", "berlaku_mulai": "2026-01-01",
                          "berlaku_sampai": None, "atasan_penilai_nip": None}],
        "hr_units": [{"id": "KEC-01", "nama": "Kecamatan Sukamaju", "members": [
            {"nip": "199001012020122002", "nama": "Rina Wulandari",
             "jabatan": "Pengadministrasi", "last_seen_at": None}]}]})
    ws.lock()
    return home


def _unlock_steps() -> list[dict[str, Any]]:
    return [
        {"wait": {"name": _("asndesk — unlock {name}").format(name=NAME), "role": "dialog"},
         "timeout": 30},
        {"dump": "unlock"},
        {"type": {"id": "unlock.password", "text": PASSWORD}},
        {"press": {"id": "unlock.submit"}},
        {"wait": {"exact": _("asndesk — {name}").format(name=NAME), "role": "frame"},
         "timeout": 30},
    ]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Unlock, every page of the navigation list, then a log entry typed and saved."""
    was = current_locale()
    set_locale("id")  # the app runs in its default language; the steps name things in it
    try:
        tmp = tmp_path_factory.mktemp("atspi_walk")
        steps = [
            *_unlock_steps(),
            {"pages": {"list": NAV}},
            {"select": {"list": NAV, "item": _("Daily log")}},
            {"type": {"id": "log.form.kegiatan", "text": ENTRY}},
            {"press": {"id": "log.form.save"}},
            {"announcement": _("Saved"), "timeout": 15},
            {"row": {"table": {"id": "log.list.table"}, "text": ENTRY}, "timeout": 15},
            {"dump": "log after saving"},
        ]
        return run_probe(_profile(tmp / "home"), steps, tmp / "run")
    finally:
        set_locale(was)


@pytest.fixture(scope="module")
def idle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Unlock with a lock due in a few seconds, so the warning comes; then stay signed in."""
    was = current_locale()
    set_locale("id")
    try:
        tmp = tmp_path_factory.mktemp("atspi_idle")
        warning = {"exact": _("asndesk — about to lock"), "role": "dialog"}
        message = warning_prefix()
        steps = [
            *_unlock_steps(),
            {"wait": warning, "timeout": 20},
            {"focused": {"id": "idle_warning.stay"}, "timeout": 10},
            {"dump": "idle warning"},
            {"announcement": message, "timeout": 10},
            {"press": {"id": "idle_warning.stay"}},
            {"gone": warning, "timeout": 10},
            {"dump": "after staying"},
        ]
        # Due WARNING_S + 4 s after unlock: warned about 4 s in, with ≥ 30 s to react.
        return run_probe(_profile(tmp / "home"), steps, tmp / "run",
                         app_args=["--auto-lock-seconds", str(WARNING_S + 4)])
    finally:
        set_locale(was)


@pytest.mark.slow
def test_every_page_of_the_navigation_was_walked(walk: dict[str, Any]) -> None:
    require_ok(walk)
    names = [page["name"] for page in walk["pages"]]
    # The list is the app's own: new pages are walked without touching this test.
    assert len(names) >= 2 and len(set(names)) == len(names), names
    assert _("Home") in names and _("Daily log") in names
    # Every page there is, the role pages included (the profile holds all three roles).
    from ui.pages.registry import page_types
    assert len(names) == len(page_types()), names
    roles = {n["role"] for page in walk["pages"] for _w, n in nodes(page["dump"])}
    assert "menu bar" in roles


@pytest.mark.slow
def test_a01_every_focusable_has_a_name(walk: dict[str, Any]) -> None:
    require_ok(walk)
    offenders = [o for where, dump in all_dumps(walk) for o in unnamed_focusable(dump, where)]
    assert offenders == []
    assert sum(n["focusable"] for _l, d in all_dumps(walk) for _w, n in nodes(d)) > 20


@pytest.mark.slow
def test_a06_every_window_has_a_specific_unique_title(walk: dict[str, Any],
                                                      idle: dict[str, Any]) -> None:
    require_ok(walk)
    require_ok(idle)
    titles: dict[str, str] = {}
    for result in (walk, idle):
        for where, dump in all_dumps(result):
            for window in windows_of(dump):
                # The same window seen again (another page) keeps its title; a new one adds.
                titles.setdefault(f"{window['role']} {window['name']}", window["name"])
    for where, dump in [*all_dumps(walk), *all_dumps(idle)]:
        names = [w["name"] for w in windows_of(dump)]
        assert len(names) == len(set(names)), f"{where}: windows share a title: {names}"
    frames = {w["role"] for _l, d in all_dumps(walk) for w in windows_of(d)}
    assert {"dialog", "frame"} <= frames
    assert len(titles) >= 3  # unlock, main window, idle warning
    assert title_problems(titles) == []


@pytest.mark.slow
def test_a10_tables_have_names_headers_and_readable_cells(walk: dict[str, Any]) -> None:
    require_ok(walk)
    problems = [p for where, dump in all_dumps(walk) for p in table_problems(dump, where)]
    assert problems == []
    after = walk["dumps"]["log after saving"]
    table = next(n["table"] for _w, n in nodes(after) if n["id"].endswith("log.list.table"))
    assert table["rows"] >= 2 and all(table["headers"])
    assert any(ENTRY in cell for row in table["cells"] for cell in row)


@pytest.mark.slow
def test_a21_every_chart_has_a_table(walk: dict[str, Any]) -> None:
    require_ok(walk)
    charts = [n for _l, d in all_dumps(walk) for _w, n in nodes(d) if is_chart(n)]
    if not charts:
        pytest.skip("no page shows a chart yet (A-21 applies once one does)")
    problems = [p for where, dump in all_dumps(walk) for p in chart_problems(dump, where)]
    assert problems == []


@pytest.mark.slow
def test_a12_log_entry_typed_and_saved_through_atspi_is_announced(walk: dict[str, Any]
                                                                   ) -> None:
    require_ok(walk)
    spoken = [a["text"] for a in walk["announcements"]]
    saved = _("Saved")
    assert saved != "Saved", "the Indonesian catalog has no word for 'Saved' (Tersimpan)"
    assert saved in spoken, spoken


@pytest.mark.slow
def test_a19_idle_warning_is_focused_announced_and_stay_keeps_the_profile(
        idle: dict[str, Any]) -> None:
    require_ok(idle)  # the probe waited for: dialog shown, "stay" focused, announced, gone
    dialog = next(w for w in idle["dumps"]["idle warning"]
                  if w["window"]["name"] == _("asndesk — about to lock"))
    assert unnamed_focusable([dialog]) == []
    stay = next(n for n in dialog["nodes"] if n["id"].endswith("idle_warning.stay"))
    assert stay["focused"] and stay["name"] == plain(_("&Stay signed in"))
    assert any(warning_prefix() in a["text"] for a in idle["announcements"])
    after = {w["window"]["name"] for w in idle["dumps"]["after staying"]}
    assert _("asndesk — {name}").format(name=NAME) in after  # not locked
    assert _("asndesk — about to lock") not in after


# -- the checks themselves (no AT-SPI needed): each finds what it is meant to find ---------


def _node(role: str, name: str = "", *, focusable: bool = True, labelled_by: Any = (),
          node_id: str = "", table: Any = None) -> dict[str, Any]:
    node = {"role": role, "name": name, "id": node_id, "focusable": focusable,
            "showing": True, "labelled_by": [list(labelled_by)] if labelled_by else []}
    if table is not None:
        node["table"] = table
    return node


def _window(*found: dict[str, Any], title: str = "asndesk — test") -> list[dict[str, Any]]:
    return [{"window": {"role": "frame", "name": title}, "nodes": list(found)}]


def test_a01_check_lists_unnamed_controls_and_combos_without_a_label() -> None:
    dump = _window(_node("push button", "Simpan"), _node("push button", node_id="w.save"),
                   _node("combo box", "Bahasa Indonesia", node_id="w.language"),
                   _node("combo box", "2026", labelled_by=["Tahun"]),
                   _node("label", focusable=False))
    assert unnamed_focusable(dump) == ["asndesk — test: push button 'save'",
                                       "asndesk — test: combo box 'language'"]


def test_a06_check_wants_specific_and_unique_titles() -> None:
    assert title_problems({"a": "asndesk — unlock Siti", "b": "asndesk — Siti"}) == []
    problems = title_problems({"a": "asndesk", "b": "python3", "c": "asndesk — Siti",
                               "d": "asndesk — Siti"})
    assert len(problems) == 3 and "d and c share" in problems[-1]


def test_a10_and_a21_checks_find_unreadable_tables_and_lonely_charts() -> None:
    good = {"rows": 1, "columns": 2, "headers": ["Kegiatan", "Tanggal"],
            "cells": [["Rapat, 6 Desember", "6 Desember"]]}
    bad = {"rows": 2, "columns": 2, "headers": ["Kegiatan", ""],
           "cells": [["", "x"], ["ok", None]]}
    assert table_problems(_window(_node("table", "Log", table=good))) == []
    assert len(table_problems(_window(_node("table", "", table=bad)))) == 4
    chart = _node("canvas", node_id="laporan.chart", focusable=False)
    assert chart_problems(_window(chart)) != []
    assert chart_problems(_window(chart, _node("table", "Log", table=good))) == []
