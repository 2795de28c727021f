"""The HR officer's online tasks over the office server's REST routes (`SyncClient.rest`):
roster preview and import, the people of a unit, and devices (one's own or those of the
people one manages; revoke).

The server's roster report names bad rows only by line, column and code, never by content;
`read_roster` reads the same file here, numbering records exactly as the server does (the
header is line 1, a record's number is its first line, blank lines count but are skipped),
so a preview can show each row's own cells next to the server's verdict on that line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

MAX_BYTES = 5 * 1024 * 1024   # the server's limit for one roster file


class Rest(Protocol):
    def rest(self, method: str, path: str, *, json_body: Any = None,
             content: bytes | None = None, content_type: str | None = None,
             params: dict[str, Any] | None = None) -> Any: ...


class RosterReadError(Exception):
    """The file cannot be sent at all (too large, not UTF-8); `code` as the server's."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RosterLine:
    """One data record of the file, by its line number: the cells the preview shows."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return " ".join(self.cells.get(column, "").split())


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    code: str


@dataclass(frozen=True)
class RosterReport:
    """The server's answer to a preview or an import."""

    rows: int
    created: int
    updated: int
    unchanged: int
    units_created: int
    links_opened: int
    links_closed: int
    errors: tuple[RowProblem, ...] = ()
    warnings: tuple[RowProblem, ...] = ()

    @property
    def bad_lines(self) -> set[int]:
        return {e.line for e in self.errors}

    @property
    def accepted(self) -> int:
        """Rows the server takes (new, changed or unchanged people)."""
        return self.rows - len(self.bad_lines)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> RosterReport:
        def problems(key: str) -> tuple[RowProblem, ...]:
            return tuple(RowProblem(int(p["line"]), str(p["field"]), str(p["code"]))
                         for p in body.get(key) or [])
        return cls(**{k: int(body.get(k) or 0) for k in (
            "rows", "created", "updated", "unchanged", "units_created", "links_opened",
            "links_closed")}, errors=problems("errors"), warnings=problems("warnings"))


@dataclass(frozen=True)
class DeviceInfo:
    id: str
    name: str | None
    created_at: str
    last_seen_at: str | None
    revoked_at: str | None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> DeviceInfo:
        known = ("id", "name", "created_at", "last_seen_at", "revoked_at")
        return cls(str(body["id"]), body.get("name"), str(body.get("created_at") or ""),
                   body.get("last_seen_at"), body.get("revoked_at"),
                   {k: v for k, v in body.items() if k not in known})


@dataclass(frozen=True)
class ManagedDeviceInfo(DeviceInfo):
    """A device of someone the caller manages (`GET /admin/devices`), with whose it is."""

    person_nip: str | None = None
    person_nama: str = ""
    unit_id: str | None = None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> ManagedDeviceInfo:
        base = DeviceInfo.from_json(body)
        whose = ("person_nip", "person_nama", "unit_id")
        return cls(base.id, base.name, base.created_at, base.last_seen_at, base.revoked_at,
                   {k: v for k, v in base.extra.items() if k not in whose},
                   person_nip=body.get("person_nip"),
                   person_nama=str(body.get("person_nama") or ""), unit_id=body.get("unit_id"))


# -- the file -----------------------------------------------------------------------------
def load_roster_file(path: Path) -> str:
    """The text of a roster file: UTF-8 with or without BOM, at most 5 MB (as the server)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise RosterReadError("too_large")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterReadError("not_utf8") from None


def _column(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", "_").split())


def read_roster(csv_text: str) -> tuple[list[str], list[RosterLine]]:
    """The header's column names and every non-blank data record with its line number.

    Lenient: a file the server will refuse as a whole still reads as far as it goes (the
    server's answer says why); a broken quote ends the reading there."""
    text = csv_text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None) or []
    except csv.Error:
        return [], []
    names = [_column(c) for c in header]
    lines: list[RosterLine] = []
    last = reader.line_num
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except (StopIteration, csv.Error):
            break
        last = reader.line_num
        if any(c.strip() for c in cells):
            lines.append(RosterLine(start, {n: c for n, c in zip(names, cells, strict=False)
                                            if n}))
    return names, lines


# -- the server ---------------------------------------------------------------------------
def preview_roster(client: Rest, csv_text: str) -> RosterReport:
    """What importing the file would do; the server writes nothing (HR: its units only)."""
    return RosterReport.from_json(client.rest("POST", "/admin/roster/preview",
                                              json_body={"csv": csv_text}))


def import_roster(client: Rest, csv_text: str) -> RosterReport:
    """Import the rows the server accepts; the bad ones come back by line, not imported."""
    return RosterReport.from_json(client.rest("POST", "/admin/roster/import",
                                              json_body={"csv": csv_text}))


def list_people(client: Rest, unit_id: str) -> list[dict[str, Any]]:
    """The people of one unit as the server holds them (with their penilai's NIP)."""
    return list(client.rest("GET", "/admin/people", params={"unit": unit_id}) or [])


def list_devices(client: Rest) -> list[DeviceInfo]:
    """The devices the server lists for the caller (`GET /devices`: the caller's own)."""
    return [DeviceInfo.from_json(d) for d in client.rest("GET", "/devices") or []]


def list_unit_devices(client: Rest, unit_id: str | None = None) -> list[ManagedDeviceInfo]:
    """The devices of the people the caller manages (HR: its units' people it may manage;
    admin: everyone), each with whose it is; `unit_id` narrows to one unit's people. A caller
    who manages nobody gets `SyncError("forbidden")`."""
    params = {"unit_id": unit_id} if unit_id is not None else None
    return [ManagedDeviceInfo.from_json(d)
            for d in client.rest("GET", "/admin/devices", params=params) or []]


def revoke_device(client: Rest, device_id: str, *, final_push: bool = False) -> DeviceInfo:
    """Revoke a device (its next contact wipes it); `final_push` lets a retired one send
    its queue first. Revoking again changes nothing."""
    path = f"/devices/{quote(device_id, safe='')}/revoke"
    return DeviceInfo.from_json(client.rest("POST", path, json_body={"final_push": final_push}))
