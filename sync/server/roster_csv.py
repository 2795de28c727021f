"""Reading and checking a roster CSV row by row (no database): the columns and their rules.

The file format and the import rules are documented in `sync.server.roster`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from asndesk.domain.identity import (
    normalisasi_golongan,
    parse_ni_pppk,
    parse_nip,
    validate_golongan_pppk,
)
from asndesk.domain.ratings import JenjangFungsional
from asndesk.domain.skp import JenisJabatan, validate_text
from asndesk.errors import ValidationError

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
WIB = dt.timezone(dt.timedelta(hours=7))
JENIS_ASN = ("PNS", "PPPK", "NON_ASN")
UNIT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,63}")
_CHUNK = 500

COLUMNS: tuple[tuple[str, str], ...] = (
    ("nip", "NIP (18 digits, grouped form accepted) or NI PPPK when jenis_asn is PPPK; "
            "empty only for NON_ASN"),
    ("jenis_asn", "PNS (default), PPPK or NON_ASN"),
    ("nama", "name without titles (required)"),
    ("gelar_depan", "titles before the name"),
    ("gelar_belakang", "titles after the name"),
    ("jabatan", "position name"),
    ("jenis_jabatan", "one of: " + ", ".join(j.value for j in JenisJabatan)),
    ("jenjang", "for fungsional: Pemula … Penyelia / Ahli Pertama … Ahli Utama"),
    ("golongan", "PNS I/a … IV/e; PPPK I … XVII; empty for NON_ASN"),
    ("unit_kode", "org unit id; unknown units need unit_nama (admins only)"),
    ("unit_nama", "name of a unit to create"),
    ("nip_penilai", "NIP of the pejabat penilai (in this file or on the server)"),
    ("nip_atasan_penilai", "NIP of the atasan pejabat penilai"),
    ("penilai_non_asn", "nama of a NON_ASN pejabat penilai, instead of nip_penilai"),
    ("atasan_penilai_non_asn", "nama of a NON_ASN atasan, instead of nip_atasan_penilai"),
    ("berlaku_mulai", "YYYY-MM-DD the supervisor link starts (default today, WIB)"),
)
"""The columns, for the README and the HR screen."""

_KNOWN = {name for name, _ in COLUMNS}
_PERSON_FIELDS = ("jenis_asn", "nama", "gelar_depan", "gelar_belakang", "jabatan",
                  "jenis_jabatan", "jenjang", "golongan", "unit_id")
_JENJANG_KEAHLIAN = {j.value.casefold(): j.value for j in JenjangFungsional
                     if j.value.startswith("Ahli")}
_JENJANG_KETERAMPILAN = {j.value.casefold(): j.value for j in JenjangFungsional
                         if not j.value.startswith("Ahli")}


@dataclass(frozen=True)
class RowProblem:
    """One problem: 1-based file line, column, stable code. Never the cell's content."""

    line: int
    field: str
    code: str


@dataclass
class ImportReport:
    """What an import did (or, for a preview, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    links_opened: int = 0
    links_closed: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "units_created": self.units_created,
            "links_opened": self.links_opened, "links_closed": self.links_closed,
            "errors": [vars(e) for e in self.errors],
            "warnings": [vars(w) for w in self.warnings],
        }


class RosterFileError(Exception):
    """The file as a whole is refused (too large, no header, unknown column, not UTF-8)."""

    def __init__(self, code: str, field: str = "file") -> None:
        super().__init__(code)
        self.code, self.field = code, field


@dataclass
class _Row:
    line: int
    key: str                   # the NIP, or "~" + casefolded nama for a non-ASN person
    nip: str | None
    values: dict[str, str]     # person columns with a non-empty, validated value
    unit_nama: str | None
    penilai: str | None        # key of the penilai
    atasan: str | None
    penilai_field: str
    atasan_field: str
    mulai: dt.date
    problems: list[RowProblem] = field(default_factory=list)


def decode_roster(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 with or without BOM; anything else is refused."""
    if len(data) > MAX_BYTES:
        raise RosterFileError("too_large")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError("not_utf8") from None


def today_wib(now: float) -> dt.date:
    return dt.datetime.fromtimestamp(now, WIB).date()


def _name_key(nama: str) -> str:
    return "~" + " ".join(nama.split()).casefold()


def _header_name(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", "_").split())


def _records(csv_text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header's column names and an iterator of (first line of the record, cells)."""
    if len(csv_text) > MAX_BYTES:
        raise RosterFileError("too_large")
    try:
        size = len(csv_text.encode("utf-8"))
    except UnicodeEncodeError:   # lone surrogates
        raise RosterFileError("bad_chars") from None
    if size > MAX_BYTES:
        raise RosterFileError("too_large")
    if "\x00" in csv_text:
        raise RosterFileError("bad_chars")
    text = csv_text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error:
        raise RosterFileError("bad_csv") from None
    if not header or not any(cell.strip() for cell in header):
        raise RosterFileError("no_header")
    names = [_header_name(cell) for cell in header]
    while names and not names[-1]:          # Excel's trailing ";;;"
        names.pop()
    for name in names:
        if name not in _KNOWN:
            raise RosterFileError("unknown_column",
                                  name if re.fullmatch(r"[a-z_]{1,40}", name) else "header")
    if len(set(names)) != len(names):
        raise RosterFileError("duplicate_column")
    if "nama" not in names:
        raise RosterFileError("missing_column", "nama")

    def rows() -> Iterator[tuple[int, list[str]]]:
        last = reader.line_num
        count = 0
        while True:
            start = last + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise RosterFileError("bad_csv", f"line {start}") from None
            last = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise RosterFileError("too_many_rows")
            yield start, cells

    return names, rows()


class _Cells:
    """One record's cells by column, and what parsing them found."""

    def __init__(self, line: int, cells: dict[str, str], warnings: list[RowProblem]) -> None:
        self.line, self.cells, self.warnings = line, cells, warnings
        self.problems: list[RowProblem] = []
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    def bad(self, name: str, code: str) -> None:
        self.problems.append(RowProblem(self.line, name, code))

    def text(self, name: str, max_len: int) -> str | None:
        """An optional text cell, whitespace collapsed; None when empty or bad."""
        if not self.get(name).strip():
            return None
        try:
            return " ".join(validate_text(name, self.get(name), max_len).split())
        except ValidationError as exc:
            self.bad(name, exc.code)
            return None


def _jenis_and_nip(c: _Cells) -> tuple[str, str | None]:
    jenis = "_".join(c.get("jenis_asn").strip().upper().replace("-", " ").split())
    jenis = {"": "PNS", "NONASN": "NON_ASN"}.get(jenis, jenis)
    if jenis not in JENIS_ASN:
        c.bad("jenis_asn", "unknown")
    c.values["jenis_asn"] = jenis
    try:
        if jenis == "PPPK":
            pppk = parse_ni_pppk(c.get("nip"), "nip")
            nip, found = pppk.nomor, pppk.warnings
        elif jenis == "PNS":
            pns = parse_nip(c.get("nip"), "nip")
            nip, found = pns.nip, pns.warnings
        else:
            if c.get("nip").strip():
                c.bad("nip", "not_allowed")   # a non-ASN person has no NIP
            return jenis, None
    except ValidationError as exc:
        c.bad("nip", exc.code)
        return jenis, None
    c.warnings.extend(RowProblem(c.line, "nip", w.code) for w in found)
    return jenis, nip


def _jabatan(c: _Cells) -> None:
    for name, max_len in (("gelar_depan", 100), ("gelar_belakang", 100), ("jabatan", 200)):
        text = c.text(name, max_len)
        if text is not None:
            c.values[name] = text
    jenis_jabatan: JenisJabatan | None = None
    raw = _header_name(c.get("jenis_jabatan"))
    if raw:
        try:
            jenis_jabatan = JenisJabatan(raw)
            c.values["jenis_jabatan"] = jenis_jabatan.value
        except ValueError:
            c.bad("jenis_jabatan", "unknown")
    jenjang = c.text("jenjang", 32)
    if jenjang is None:
        return
    table = {JenisJabatan.FUNGSIONAL_KEAHLIAN: _JENJANG_KEAHLIAN,
             JenisJabatan.FUNGSIONAL_KETERAMPILAN: _JENJANG_KETERAMPILAN}.get(
                 jenis_jabatan) if jenis_jabatan else None
    if table is None:
        c.values["jenjang"] = jenjang
    elif jenjang.casefold() in table:
        c.values["jenjang"] = table[jenjang.casefold()]
    else:
        c.bad("jenjang", "unknown")


def _golongan(c: _Cells, jenis: str) -> None:
    golongan = c.get("golongan").strip()
    if not golongan:
        return
    try:
        if jenis == "PNS":
            c.values["golongan"] = normalisasi_golongan(golongan)
        elif jenis == "PPPK":
            c.values["golongan"] = validate_golongan_pppk(golongan)
        elif jenis == "NON_ASN":
            c.bad("golongan", "not_allowed")
    except ValidationError as exc:
        c.bad("golongan", exc.code)   # the column's name, the domain's code


def _berlaku_mulai(c: _Cells, today: dt.date) -> dt.date:
    raw = c.get("berlaku_mulai").strip()
    if not raw:
        return today
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        c.bad("berlaku_mulai", "bad_date")
        return today


def _parse_row(line: int, cells: dict[str, str], today: dt.date,
               warnings: list[RowProblem]) -> _Row:
    c = _Cells(line, cells, warnings)
    jenis, nip = _jenis_and_nip(c)
    nama = ""
    try:
        nama = " ".join(validate_text("nama", c.get("nama"), 200).split())
        c.values["nama"] = nama
    except ValidationError as exc:
        c.bad("nama", exc.code)
    _jabatan(c)
    _golongan(c, jenis)
    unit = c.get("unit_kode").strip()
    if unit and UNIT_ID.fullmatch(unit):
        c.values["unit_id"] = unit
    elif unit:
        c.bad("unit_kode", "bad_chars")
    unit_nama = c.text("unit_nama", 200)

    key = nip if nip is not None else _name_key(nama)
    penilai, penilai_field = _reference(c, "nip_penilai", "penilai_non_asn")
    atasan, atasan_field = _reference(c, "nip_atasan_penilai", "atasan_penilai_non_asn")
    for ref, ref_field in ((penilai, penilai_field), (atasan, atasan_field)):
        if ref is not None and ref == key:
            c.bad(ref_field, "self")
    if penilai is None and atasan is not None:
        c.bad("nip_penilai", "missing")
    mulai = _berlaku_mulai(c, today)
    return _Row(line, key, nip, c.values, unit_nama, penilai, atasan, penilai_field,
                atasan_field, mulai, c.problems)


def _reference(c: _Cells, by_nip: str, by_name: str) -> tuple[str | None, str]:
    """The key a penilai/atasan column refers to (a NIP, or "~nama" of a non-ASN person)."""
    digits = "".join(c.get(by_nip).split())
    name = " ".join(c.get(by_name).split())
    if digits and name:
        c.bad(by_name, "conflict")
        return None, by_name
    if name:
        return _name_key(name), by_name
    if not digits:
        return None, by_nip
    if not (digits.isascii() and digits.isdigit()):
        c.bad(by_nip, "bad_chars")
        return None, by_nip
    if len(digits) != 18:
        c.bad(by_nip, "bad_length")
        return None, by_nip
    return digits, by_nip


def _parse(csv_text: str, today: dt.date, report: ImportReport) -> list[_Row]:
    """Every data row parsed on its own; duplicates within the file are refused."""
    names, records = _records(csv_text)
    rows: list[_Row] = []
    seen: set[str] = set()
    for line, cells in records:
        report.rows += 1
        extra = cells[len(names):]
        by_name = dict(zip(names, cells, strict=False))
        row = _parse_row(line, by_name, today, report.warnings)
        if any(cell.strip() for cell in extra):
            row.problems.append(RowProblem(line, "row", "too_many_fields"))
        if not row.problems and row.key in seen:
            row.problems.append(RowProblem(line, "nip" if row.nip else "nama", "duplicate"))
        if not row.problems:
            seen.add(row.key)
        rows.append(row)
    return rows
