"""Roster import from CSV: people, their units and their supervisor links, for HR and admins.

The file is UTF-8 (a BOM is fine), comma- or semicolon-separated (Indonesian Excel exports use
``;``; the delimiter is sniffed from the header line), with a header line naming the columns
below in any order and any letter case (spaces count as ``_``). Only ``nama`` is required in
the header; a column that is not listed is refused (a typo must not silently drop data). At
most 20,000 data rows and 5 MB.

=======================  ==================================================================
Column                   Meaning
=======================  ==================================================================
nip                      NIP (18 digits; the grouped form "19860926 201505 1 001" is fine), or
                         the NI PPPK when ``jenis_asn`` is PPPK (read with the PPPK layout,
                         never the PNS month rule). Empty only for ``NON_ASN``; the key of the
                         upsert (a non-ASN person without NIP is matched by ``nama``).
jenis_asn                PNS (default when empty), PPPK or NON_ASN (a non-ASN evaluator, e.g.
                         the regional head for a JPT; has no NIP and no golongan).
nama                     Name without titles (required; a single name is fine).
gelar_depan              Titles before the name ("Dr.", "Ir.").
gelar_belakang           Titles after the name ("S.Pd., M.Pd.").
jabatan                  Position name.
jenis_jabatan            jpt_utama, jpt_madya, jpt_pratama, administrator, pengawas, pelaksana,
                         fungsional_keahlian, fungsional_keterampilan.
jenjang                  For fungsional: Pemula, Terampil, Mahir, Penyelia (keterampilan) or
                         Ahli Pertama, Ahli Muda, Ahli Madya, Ahli Utama (keahlian); free text
                         (≤ 32 characters) otherwise.
golongan                 PNS: I/a … IV/e ("III-a", "iii a" accepted); PPPK: I … XVII or 1 … 17;
                         must be empty for NON_ASN.
unit_kode                Id of the org unit. An unknown unit is created only when ``unit_nama``
                         gives its name (admins only); otherwise the row is refused.
unit_nama                Name of a unit to create; ignored for an existing unit.
nip_penilai              NIP of the pejabat penilai kinerja: a person earlier or later in the
                         same file, or already on the server.
nip_atasan_penilai       NIP of the atasan pejabat penilai (same rules).
penilai_non_asn          Instead of ``nip_penilai``: the ``nama`` of a NON_ASN evaluator.
atasan_penilai_non_asn   Instead of ``nip_atasan_penilai``: the ``nama`` of a NON_ASN person.
berlaku_mulai            YYYY-MM-DD from which this supervisor link applies (default: today,
                         WIB).
=======================  ==================================================================

Rules: people are upserted by NIP (existing people are updated, never duplicated; their
password, admin flag and disabled flag are never touched). An empty cell never clears a stored
value. Supervisor links are written after all people exist: a changed penilai or atasan closes
the open link (``berlaku_sampai`` = the new ``berlaku_mulai`` minus one day) and opens a new
one, so history is kept; an unchanged supervisor writes nothing; an empty ``nip_penilai``
leaves the links as they are. A row with any problem is not imported at all and is reported
by its 1-based line in the file (the header is line 1) with the column and a stable code; the
other rows are imported, in one transaction. The report never carries the rows' content.

An HR officer (pengelola kepegawaian) imports only rows whose unit — and, for an existing
person, whose current unit — is one of theirs, and never changes an admin or another HR
officer with units beyond theirs; other rows are refused with ``forbidden_unit``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from asndesk.domain.identity import (
    normalisasi_golongan,
    parse_ni_pppk,
    parse_nip,
    validate_golongan_pppk,
)
from asndesk.domain.ratings import JenjangFungsional
from asndesk.domain.skp import JenisJabatan, validate_text
from asndesk.errors import ValidationError
from sync.server import accounts
from sync.server.schema import hr_assignment, org_unit, person, supervisor_link

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


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


@dataclass
class _Existing:
    people: dict[str, Any]          # key → person row
    ambiguous: set[str]             # non-ASN names held by several people
    units: set[str]
    hr_units: dict[str, set[str]]   # person id → units they manage
    open_links: dict[str, Any] = field(default_factory=dict)   # pegawai id → open link


def _load(conn: Connection, rows: list[_Row]) -> _Existing:
    nips = sorted({k for r in rows for k in (r.key, r.penilai, r.atasan)
                   if k and not k.startswith("~")})
    people: dict[str, Any] = {}
    for chunk in _chunks(nips):
        for row in conn.execute(select(person).where(person.c.nip.in_(chunk))):
            people[row.nip] = row
    ambiguous: set[str] = set()
    if any(k and k.startswith("~") for r in rows for k in (r.key, r.penilai, r.atasan)):
        for row in conn.execute(select(person).where(person.c.nip.is_(None))):
            key = _name_key(row.nama)
            if key in people:
                ambiguous.add(key)
            people[key] = row
    units = {u for (u,) in conn.execute(select(org_unit.c.id))}
    hr_units: dict[str, set[str]] = {}
    for person_id, unit_id in conn.execute(select(hr_assignment.c.person_id,
                                                  hr_assignment.c.unit_id)):
        hr_units.setdefault(person_id, set()).add(unit_id)
    return _Existing(people, ambiguous, units, hr_units)


def may_manage(target: Any, allowed_units: Collection[str] | None,
               target_hr_units: Collection[str]) -> bool:
    """Whether a caller with HR units `allowed_units` (None: admin) may change `target`.

    HR manages people of its units, but never an admin nor an HR officer with units beyond its
    own (that would be a way to widen one's own rights, e.g. by resetting their password).
    """
    if allowed_units is None:
        return True
    return (target.unit_id in allowed_units and not target.is_admin
            and set(target_hr_units) <= set(allowed_units))


def _check_against_database(rows: list[_Row], existing: _Existing,
                            allowed_units: Collection[str] | None) -> None:
    for row in rows:
        if row.problems:
            continue
        if row.key in existing.ambiguous:
            row.problems.append(RowProblem(row.line, "nama", "ambiguous"))
            continue
        current = existing.people.get(row.key)
        unit = row.values.get("unit_id")
        if allowed_units is not None:
            new_unit = unit if unit is not None else (current.unit_id if current else None)
            if new_unit not in allowed_units or (current is not None and not may_manage(
                    current, allowed_units, existing.hr_units.get(current.id, ()))):
                row.problems.append(RowProblem(row.line, "unit_kode", "forbidden_unit"))
                continue
        if unit is not None and unit not in existing.units and row.unit_nama is None:
            row.problems.append(RowProblem(row.line, "unit_kode", "unknown_unit"))


def _check_references(rows: list[_Row], existing: _Existing) -> None:
    """Refuse rows whose penilai/atasan is neither on the server nor a good row of the file;
    a refused row in turn refuses the rows that lean on it (breadth first, linear time)."""
    good = {r.key for r in rows if not r.problems}
    leaning: dict[str, list[_Row]] = {}
    queue: list[str] = []
    for row in rows:
        if row.problems:
            continue
        for ref, ref_field in ((row.penilai, row.penilai_field), (row.atasan, row.atasan_field)):
            if ref is None or ref in existing.people:
                if ref in existing.ambiguous:
                    row.problems.append(RowProblem(row.line, ref_field, "ambiguous"))
                continue
            if ref not in good:
                row.problems.append(RowProblem(row.line, ref_field, "unknown_person"))
            else:
                leaning.setdefault(ref, []).append(row)
        if row.problems:
            queue.append(row.key)
    while queue:
        key = queue.pop()
        for row in leaning.pop(key, []):
            if row.problems:
                continue
            ref_field = row.penilai_field if row.penilai == key else row.atasan_field
            row.problems.append(RowProblem(row.line, ref_field, "unknown_person"))
            queue.append(row.key)


def _check_link_dates(conn: Connection, rows: list[_Row], existing: _Existing) -> None:
    """Load the open links of the people being linked; refuse a start before the open one's."""
    ids = sorted({existing.people[r.key].id for r in rows
                  if not r.problems and r.penilai is not None and r.key in existing.people})
    for chunk in _chunks(ids):
        for link in conn.execute(select(supervisor_link)
                                 .where(supervisor_link.c.pegawai_id.in_(chunk),
                                        supervisor_link.c.berlaku_sampai.is_(None))
                                 .order_by(supervisor_link.c.berlaku_mulai)):
            existing.open_links[link.pegawai_id] = link     # the latest start wins
    for row in rows:
        known = existing.people.get(row.key)
        open_link = existing.open_links.get(known.id) if known is not None else None
        if (not row.problems and row.penilai is not None and open_link is not None
                and row.mulai.isoformat() < open_link.berlaku_mulai):
            row.problems.append(RowProblem(row.line, "berlaku_mulai", "before_current"))


def _plan(conn: Connection | None, now: float, csv_text: str,
          allowed_units: Collection[str] | None) -> tuple[ImportReport, list[_Row], _Existing]:
    report = ImportReport()
    rows = _parse(csv_text, today_wib(now), report)
    existing = _Existing({}, set(), set(), {})
    if conn is not None:
        existing = _load(conn, rows)
        _check_against_database(rows, existing, allowed_units)
        _check_references(rows, existing)
        _check_link_dates(conn, rows, existing)
    for row in rows:
        report.errors.extend(row.problems)
    report.errors.sort(key=lambda p: p.line)
    bad_lines = {e.line for e in report.errors}
    report.warnings = [w for w in report.warnings if w.line not in bad_lines]
    return report, [r for r in rows if not r.problems], existing


def preview_roster(csv_text: str, conn: Connection | None = None, now: float | None = None,
                   *, allowed_units: Collection[str] | None = None) -> ImportReport:
    """Validate without writing. With `conn`, also checks units, references and rights, and
    counts what an import would create, update, open and close; without it, only the rows."""
    stamp = now if now is not None else dt.datetime.now(dt.UTC).timestamp()
    report, good, existing = _plan(conn, stamp, csv_text, allowed_units)
    if conn is not None:
        _write(conn, stamp, good, existing, report, dry_run=True)
    else:
        report.created = len(good)
    return report


def import_roster(conn: Connection, now: float, csv_text: str, *, actor_id: str,
                  allowed_units: Collection[str] | None = None,
                  request_id: str | None = None, address: str | None = None) -> ImportReport:
    """Import the good rows in the caller's transaction and audit it; see the module doc.

    `allowed_units` None means an admin; otherwise the HR officer's units.
    Raises RosterFileError when the file as a whole is refused (nothing is written).
    """
    report, good, existing = _plan(conn, now, csv_text, allowed_units)
    _write(conn, now, good, existing, report, dry_run=False)
    accounts.audit(conn, now, actor=actor_id, action="roster.import",
                   target=f"rows:{report.rows}", request_id=request_id or str(uuid.uuid4()),
                   address=address)
    return report


def _write(conn: Connection, now: float, rows: list[_Row], existing: _Existing,
           report: ImportReport, *, dry_run: bool) -> None:
    stamp = accounts.iso(now)
    new_units: dict[str, str] = {}
    for row in rows:
        unit = row.values.get("unit_id")
        if unit is not None and unit not in existing.units and unit not in new_units:
            new_units[unit] = row.unit_nama or unit
    report.units_created = len(new_units)
    if new_units and not dry_run:
        conn.execute(org_unit.insert(), [{"id": u, "kode": u, "nama": n, "induk_id": None}
                                         for u, n in new_units.items()])

    ids = {key: row.id for key, row in existing.people.items()}
    inserts: list[dict[str, Any]] = []
    for row in rows:
        current = existing.people.get(row.key)
        if current is None:
            ids[row.key] = str(uuid.uuid4())
            inserts.append({**dict.fromkeys(_PERSON_FIELDS), **row.values, "id": ids[row.key],
                            "nip": row.nip, "password_hash": None, "is_admin": False,
                            "disabled": False, "created_at": stamp, "updated_at": stamp})
            continue
        changes = {k: v for k, v in row.values.items() if getattr(current, k) != v}
        if not changes:
            report.unchanged += 1
            continue
        report.updated += 1
        if not dry_run:
            conn.execute(update(person).where(person.c.id == current.id)
                         .values(**changes, updated_at=stamp))
    report.created = len(inserts)
    if inserts and not dry_run:
        conn.execute(person.insert(), inserts)
    _write_links(conn, rows, ids, existing, report, dry_run=dry_run)


def _write_links(conn: Connection, rows: list[_Row], ids: dict[str, str],
                 existing: _Existing, report: ImportReport, *, dry_run: bool) -> None:
    inserts: list[dict[str, Any]] = []
    for row in rows:
        if row.penilai is None:
            continue
        pegawai_id, penilai_id = ids[row.key], ids[row.penilai]
        current = existing.open_links.get(pegawai_id)
        if row.atasan is not None:
            atasan_id: str | None = ids[row.atasan]
        elif current is not None and current.penilai_id == penilai_id:
            atasan_id = current.atasan_penilai_id    # an empty cell never clears
        else:
            atasan_id = None
        if current is not None and (current.penilai_id, current.atasan_penilai_id) == (
                penilai_id, atasan_id):
            continue
        if current is not None:
            # A same-day correction leaves the old link with an empty range (sampai < mulai):
            # it never applied, and the record of it is kept.
            sampai = (row.mulai - dt.timedelta(days=1)).isoformat()
            report.links_closed += 1
            if not dry_run:
                conn.execute(update(supervisor_link)
                             .where(supervisor_link.c.id == current.id)
                             .values(berlaku_sampai=sampai))
        report.links_opened += 1
        inserts.append({"id": str(uuid.uuid4()), "pegawai_id": pegawai_id,
                        "penilai_id": penilai_id, "atasan_penilai_id": atasan_id,
                        "berlaku_mulai": row.mulai.isoformat(), "berlaku_sampai": None})
    if inserts and not dry_run:
        conn.execute(supervisor_link.insert(), inserts)


def current_links(conn: Connection, pegawai_ids: list[str], today: dt.date) -> dict[str, Any]:
    """The supervisor link in force on `today` per pegawai (latest start wins)."""
    day = today.isoformat()
    found: dict[str, Any] = {}
    for chunk in _chunks(pegawai_ids):
        query = (select(supervisor_link).where(
            supervisor_link.c.pegawai_id.in_(chunk), supervisor_link.c.berlaku_mulai <= day,
            (supervisor_link.c.berlaku_sampai.is_(None))
            | (supervisor_link.c.berlaku_sampai >= day))
            .order_by(supervisor_link.c.berlaku_mulai))
        for link in conn.execute(query):
            found[link.pegawai_id] = link
    return found
