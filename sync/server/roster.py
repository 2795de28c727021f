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

import datetime as dt
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from sync.server import accounts, reference_store
from sync.server.roster_csv import (
    _CHUNK,
    _PERSON_FIELDS,
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    UNIT_ID,
    ImportReport,
    RosterFileError,
    RowProblem,
    _name_key,
    _parse,
    _Row,
    decode_roster,
    today_wib,
)
from sync.server.schema import hr_assignment, org_unit, person, supervisor_link

__all__ = ["COLUMNS", "MAX_BYTES", "MAX_ROWS", "UNIT_ID", "ImportReport", "RosterFileError",
           "RowProblem", "current_links", "decode_roster", "import_roster", "may_manage",
           "preview_roster", "today_wib"]


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
        reference_store.publish_org_units(conn, list(new_units), now)  # the `ref` partition

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
