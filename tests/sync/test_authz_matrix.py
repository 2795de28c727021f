"""S-13/S-14/S-15 on every non-admin route (the /admin ones: test_server_admin.py).

Columns (who acts, on whose data): the employee on her own data and on a colleague's (same
unit), her pejabat penilai on her and on that colleague, HR of her unit and of another, an admin.
Policy (security.md, architecture §4–5): employee ⊂ own; supervisor ⊂ subordinates (`team:<NIP>`,
decisions); HR ⊂ unit (`unit:<id>`, devices of people it may manage); admin: accounts and every
unit's data, but no penilai's decisions and nobody writes another's records. Reference data:
everyone logged in reads, HR (any unit: it is agency-wide) and admins write.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select, update

from asndesk.store.ids import uuid7
from sync import bundle, protocol
from sync.protocol import OpResult, OpStatus
from sync.server import accounts, schema
from sync.server.schema import audit_event, entity
from tests.sync.conftest import RunningServer
from tests.sync.test_attachments import Api
from tests.sync.test_reference import calendar_file
from tests.sync.test_server_admin import PASSWORD, _hash
from tests.sync.test_server_auth import Device, bearer, login
from tests.sync.test_server_sync import Session
from tests.sync.test_server_workflow import Actor
from tests.sync.test_team_sync import _op

NIPS = {"pegawai": "199102022019032003", "rekan": "199203032018011004",
        "atasan": "197001011995031001", "hr_a": "198001012005011003",
        "hr_b": "198501012010012005", "admin": "197501012000031004"}
UNIT = {role: "KEC-02" if role == "hr_b" else "KEC-01" for role in NIPS}
COLUMNS = {  # column -> (who acts, whose data)
    "pegawai/own": ("pegawai", "pegawai"), "pegawai/rekan": ("pegawai", "rekan"),
    "atasan/bawahan": ("atasan", "pegawai"), "atasan/lain": ("atasan", "rekan"),
    "hr/unit": ("hr_a", "pegawai"), "hr/lain": ("hr_b", "pegawai"), "admin": ("admin", "pegawai"),
}
Cell = tuple[int, str | None]


@dataclass
class Office:
    server: RunningServer
    ids: dict[str, str]
    actors: dict[str, Actor]
    spare: dict[str, Device]        # a second device of pegawai, rekan, admin (revoke, bundles)
    server_keys: dict[str, str]
    skp: dict[str, str]             # pegawai (approve, rate), pegawai_r (return), rekan(_r)
    log: dict[str, str]
    files: dict[str, bytes]
    service_type: str = ""

    def call(self, who: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.server.url + path, timeout=30,
                                headers=bearer(self.actors[who].session.token), **kwargs)

    def api(self, who: str) -> Api:
        return Api(self.server.url, self.actors[who].session.token)

    def version(self, kind: str, entity_id: str) -> int:
        with self.server.engine.connect() as conn:
            return int(conn.execute(select(entity.c.version).where(
                entity.c.kind == kind, entity.c.id == entity_id)).scalar_one())


def _applied(actor: Actor, kind: str, entity_kind: str, entity_id: str,
             payload: dict[str, Any]) -> None:
    result = actor.send(kind, entity_kind, entity_id, payload)
    assert result.status is OpStatus.APPLIED, result


def _head(nip: str, tahun: int = 2026) -> dict[str, Any]:
    return {"pegawai_nip": nip, "tahun": tahun, "jenis_jabatan": "pelaksana",
            "pendekatan": "kuantitatif"}


def _day(tanggal: str, kegiatan: str = "Merekam KTP-el") -> dict[str, Any]:
    return {"tanggal": tanggal, "jam_mulai": "08:00", "jam_selesai": "09:00",
            "kegiatan": kegiatan}


def _submitted_skp(actor: Actor, nip: str) -> str:
    skp, rhk = uuid7(), uuid7()
    _applied(actor, "create", "skp", skp, _head(nip))
    _applied(actor, "create", "rhk", rhk, {"skp_id": skp, "jenis": "utama", "urutan": 1,
                                           "teks": "Perekaman KTP-el", "rhk_atasan": "Cakupan"})
    _applied(actor, "create", "iki", uuid7(), {
        "rhk_id": rhk, "skp_id": skp, "urutan": 1, "aspek": "Kuantitas",
        "indikator": "KTP-el terekam", "target_nilai": "1200", "target_satuan": "Keping"})
    _applied(actor, "submit", "skp", skp, {})
    return skp


@pytest.fixture
def office(server: RunningServer) -> Office:
    """Unit KEC-01: pegawai (penilai: atasan), rekan (no link to atasan), atasan, HR of the
    unit, an admin; HR of KEC-02. Submitted plans, a log harian with a file each."""
    with server.engine.begin() as conn:
        for unit in ("KEC-01", "KEC-02"):
            conn.execute(schema.org_unit.insert().values(id=unit, kode=unit, nama=unit))
        ids = {role: accounts.create_person(conn, server.clock(), nip=nip, nama=role.title(),
                                            unit_id=UNIT[role], is_admin=role == "admin")
               for role, nip in NIPS.items()}
        conn.execute(schema.person.update().values(password_hash=_hash()))
        conn.execute(schema.supervisor_link.insert().values(
            id=uuid7(), pegawai_id=ids["pegawai"], penilai_id=ids["atasan"],
            berlaku_mulai="2020-01-01"))
        for hr in ("hr_a", "hr_b"):
            conn.execute(schema.hr_assignment.insert().values(person_id=ids[hr], unit_id=UNIT[hr]))
    logins = {role: (dev, login(server, NIPS[role], PASSWORD, dev).json())
              for role, dev in ((role, Device()) for role in NIPS)}
    actors = {role: Actor(Session(server, answer["access_token"], dev.id))
              for role, (dev, answer) in logins.items()}
    spare = {role: Device() for role in ("pegawai", "rekan", "admin")}
    assert all(login(server, NIPS[r], PASSWORD, dev).ok for r, dev in spare.items())
    o = Office(server, ids, actors, spare, logins["admin"][1]["server_keys"],
               skp={}, log={}, files={})
    for key, role in (("pegawai", "pegawai"), ("pegawai_r", "pegawai"), ("rekan", "rekan")):
        o.skp[key] = _submitted_skp(actors[role], NIPS[role])
    o.skp["rekan_r"] = o.skp["rekan"]
    for role in ("pegawai", "rekan"):
        o.log[role], o.files[role] = uuid7(), os.urandom(3000)
        _applied(actors[role], "create", "log_harian", o.log[role], _day("2026-03-02"))
        o.api(role).upload(o.files[role])
        _applied(actors[role], "attach", "log_harian", o.log[role], {
            "attachment_id": uuid7(), "sha256": hashlib.sha256(o.files[role]).hexdigest(),
            "nama_file": "scan.pdf", "mime": "application/pdf", "ukuran": 3000})
    assert o.call("admin", "POST", "/ref/periods/generate",
                  json={"tahun": 2026, "pola": "triwulanan"}).ok
    o.service_type = o.call("admin", "POST", "/ref/service-types", json={
        "kode": "KTP", "nama": "Perekaman KTP-el", "standar_hari_kerja": 3}).json()["id"]
    return o


# --- The cells' actions: (office, who, whose, column number) -> (status, code) ---------------

Action = Callable[[Office, str, str, int], Cell]


def _answer(r: requests.Response) -> Cell:
    return r.status_code, r.json().get("error") if not r.ok and r.content else None  # HEAD: none


def _pull(partition: Callable[[str], str]) -> Action:
    def run(o: Office, who: str, whom: str, _n: int) -> Cell:
        request = protocol.PullRequest({protocol.Partition.parse(partition(whom)): None})
        return _answer(o.actors[who].session.post(protocol.PULL_PATH, request.to_wire()))
    return run


def _push(kind: str, entity_kind: str, target: str, payload: dict[str, Any],
          base: str | None = "skp") -> Action:
    """One op on `whom`'s `target` (its log, skp or skp_r), or when `target` is the SKP a
    new record in it; `base`: the kind whose current version the op names (None: no base)."""
    def run(o: Office, who: str, whom: str, _n: int) -> Cell:
        found = o.log[whom] if target == "log" else o.skp[whom + target[3:]]
        new = entity_kind not in ("skp", "log_harian")
        seen = None if base is None else o.version(base, found)
        result = o.actors[who].send(kind, entity_kind, uuid7() if new else found,
                                    {**payload, "skp_id": found} if new else payload, seen)
        return 200, _outcome(result)
    return run


def _outcome(result: OpResult) -> str:
    return "applied" if result.status is OpStatus.APPLIED else (
        f"{result.reason}/{result.message_id}")


def _me(o: Office, who: str, _whom: str, _n: int) -> Cell:
    answer = o.call(who, "GET", "/me")
    if not answer.ok:
        return _answer(answer)
    body, role_of = answer.json(), {nip: role for role, nip in NIPS.items()}
    seen = ([role_of.get(s["nip"], "?") for s in body["subordinates"]]
            + [u["id"] for u in body["hr_units"]] + (["admin"] if body["is_admin"] else []))
    return 200, ",".join(seen) or None


def _devices(o: Office, who: str, _whom: str, _n: int) -> Cell:
    answer = o.call(who, "GET", "/devices")
    mine = {o.actors[who].session.device_id} | ({o.spare[who].id} if who in o.spare else set())
    listed = {d["id"] for d in answer.json()} if answer.ok else set()
    return answer.status_code, "own" if listed == mine else f"listed {len(listed)}"


def _revoke(owner: Callable[[str], str]) -> Action:
    def run(o: Office, who: str, whom: str, _n: int) -> Cell:
        target = o.spare[owner(whom)].id
        answer = o.call(who, "POST", f"/devices/{target}/revoke")
        with o.server.engine.begin() as conn:  # back in service for the next cell
            conn.execute(update(schema.device).where(schema.device.c.id == target)
                         .values(revoked_at=None))
        return _answer(answer)
    return run


def _http(method: str, path: str, body: Callable[[int], Any] | None = None) -> Action:
    """`path` may name {n} (the column's number) and {st} (the service type's id)."""
    def run(o: Office, who: str, _whom: str, n: int) -> Cell:
        return _answer(o.call(who, method, path.format(n=n + 1, st=o.service_type),
                              json=None if body is None else body(n)))
    return run


def _blob(step: str) -> Action:
    """One step on the evidence file of `whom`'s log harian."""
    def run(o: Office, who: str, whom: str, _n: int) -> Cell:
        api, data = o.api(who), o.files[whom]
        sha = hashlib.sha256(data).hexdigest()
        answer = {"HEAD": lambda: api.call("HEAD", f"{protocol.BLOB_UPLOADS_PATH}/{sha}"),
                  "PATCH": lambda: api.patch(sha, len(data), b""), "GET": lambda: api.get(sha),
                  "create": lambda: api.create(data)}[step]()
        if step == "create" and answer.ok:
            return 200, "complete" if answer.json()["complete"] else "started"
        if answer.ok and step == "GET" and answer.content != data:
            return 200, "wrong bytes"
        return _answer(answer)
    return run


def _bundle(o: Office, who: str, whom: str, _n: int) -> Cell:
    """`who` uploads an offline bundle of `whom`'s device: a new log, applied as `whom`'s."""
    dev, log = o.spare[whom], uuid7()
    with o.server.engine.connect() as conn:  # the device's next seq
        seq = 1 + (conn.execute(select(schema.device_seq.c.last_seq).where(
            schema.device_seq.c.device_id == dev.id)).scalar() or 0)
    op = _op(seq, "create", "log_harian", log, None, _day("2026-03-03", "Apel"))
    now, reply_key = int(o.server.clock()), X25519PrivateKey.generate()
    header = bundle.Header(kind="request", bundle_id=uuid7(), device_id=dev.id,
                           server_id=o.server_keys["server_id"], created_at=now,
                           expires_at=now + bundle.TTL_S,
                           reply_key=bundle.x25519_public(reply_key))
    message = {"push": protocol.PushRequest(dev.id, (op,)).to_wire(), "cursors": {}}
    data = bundle.seal(header, bundle.pack_content(message, []),
                       bundle.unb64(o.server_keys["x25519"], 32), dev.key)
    answer = o.call(who, "POST", bundle.BUNDLE_PATH, data=data)
    if not answer.ok:
        return _answer(answer)
    reply, _ = bundle.unpack_content(bundle.open_content(bundle.parse(answer.content), reply_key))
    with o.server.engine.connect() as conn:
        owner = conn.execute(select(entity.c.owner_id).where(entity.c.id == log)).scalar()
    status = reply["push"]["results"][0]["status"]
    return 200, status if owner == o.ids[whom] else f"{status} as {owner}"


YEAR = 2030
ACTIONS: dict[str, Action] = {
    "pull own": _pull(lambda _w: "own"),
    "pull team:<NIP>": _pull(lambda whom: f"team:{NIPS[whom]}"),
    "pull unit:<id>": _pull(lambda whom: f"unit:{UNIT[whom]}"),
    "pull ref": _pull(lambda _w: "ref"),
    "edit a log harian": _push("edit_fields", "log_harian", "log", {"kegiatan": "Diubah"},
                               base="log_harian"),
    "approve the SKP": _push("approve", "skp", "skp", {}),
    "return the SKP": _push("return", "skp", "skp_r", {"catatan": "Perbaiki"}),
    "rate the SKP": _push("rate", "penilaian", "skp", {
        "period_id": "2026-TW1", "rating_hasil_kerja": "Sesuai Ekspektasi",
        "rating_perilaku": "Sesuai Ekspektasi"}),
    "give umpan balik": _push("create", "umpan_balik", "skp", {
        "sasaran_jenis": "umum", "teks": "Pertahankan"}, base=None),
    "comment on the SKP": _push("comment", "komentar", "skp", {"teks": "Catatan"}, base=None),
    "GET /me": _me,
    "GET /devices": _devices,
    "revoke a device": _revoke(lambda whom: whom),
    "revoke an admin's device": _revoke(lambda _w: "admin"),
    "read periods": _http("GET", "/ref/periods?tahun=2026"),
    "create a period": _http("POST", "/ref/periods", lambda n: {
        "tahun": YEAR + n, "jenis": "tahunan", "nomor": 1, "mulai": f"{YEAR + n}-01-01",
        "selesai": f"{YEAR + n}-12-31", "batas_pengisian": f"{YEAR + n}-12-31"}),
    "generate periods": _http("POST", "/ref/periods/generate",
                              lambda n: {"tahun": YEAR + 10 + n, "pola": "triwulanan"}),
    "patch a period": _http("PATCH", "/ref/periods/2026-TW2",
                            lambda _n: {"batas_pengisian": "2026-07-15"}),
    "close a period": _http("POST", "/ref/periods/2026-TW3/close"),
    "reopen a period": _http("POST", "/ref/periods/2026-TW3/reopen"),
    "read service types": _http("GET", "/ref/service-types"),
    "create a service type": _http("POST", "/ref/service-types", lambda n: {
        "kode": f"LGL{n}", "nama": "Legalisir", "standar_hari_kerja": 2}),
    "patch a service type": _http("PATCH", "/ref/service-types/{st}",
                                  lambda _n: {"standar_hari_kerja": 4}),
    "deactivate a service type": _http("POST", "/ref/service-types/{st}/deactivate"),
    "read holidays": _http("GET", "/ref/holidays?tahun=2026"),
    "import a holiday year": _http("PUT", "/ref/holidays/2027", lambda _n: calendar_file(2027)),
    "add a holiday": _http("POST", "/ref/holidays", lambda n: {
        "tanggal": f"2031-01-{n + 1:02d}", "nama": "Cuti bersama", "jenis": "cuti_bersama"}),
    "remove that holiday": _http("DELETE", "/ref/holidays/2031-01-{n:02d}"),
    "HEAD the upload of the file": _blob("HEAD"),
    "PATCH the upload of the file": _blob("PATCH"),
    "GET the file": _blob("GET"),
    "create an upload of the file": _blob("create"),
    "upload the device's bundle": _bundle,
}

OK, NF, FORBID, PART = (200, None), (404, "not_found"), (403, "forbidden"), (
    403, "partition_forbidden")
APPLIED, NOT_YOURS, NOT_SUB = (200, "applied"), (200, "E_FORBIDDEN/not_yours"), (
    200, "E_FORBIDDEN/not_your_subordinate")
EVERYONE, PENILAI_ONLY = (OK,) * 7, (NOT_SUB, NOT_SUB, APPLIED, NOT_SUB, NOT_SUB, NOT_SUB, NOT_SUB)
REF_WRITE = (FORBID, FORBID, FORBID, FORBID, OK, OK, OK)
#                pegawai/own pegawai/rekan atasan/bawahan atasan/lain hr/unit hr/lain admin
MATRIX: dict[str, tuple[Cell, ...]] = {
    "pull own": EVERYONE,
    # team:<NIP> is the pejabat penilai's view; HR and admins read the unit partition.
    "pull team:<NIP>": (PART, PART, OK, PART, PART, PART, PART),
    "pull unit:<id>": (PART, PART, PART, PART, OK, PART, OK),
    "pull ref": EVERYONE,
    "edit a log harian": (APPLIED,) + (NOT_YOURS,) * 6,
    "approve the SKP": PENILAI_ONLY, "return the SKP": PENILAI_ONLY,
    "rate the SKP": PENILAI_ONLY, "give umpan balik": PENILAI_ONLY,
    "comment on the SKP": (APPLIED, NOT_YOURS, APPLIED) + (NOT_YOURS,) * 4,
    "GET /me": (OK, OK, (200, "pegawai"), (200, "pegawai"), (200, "KEC-01"), (200, "KEC-02"),
                (200, "admin")),
    "GET /devices": ((200, "own"),) * 7,
    "revoke a device": (OK, NF, NF, NF, OK, NF, OK),
    "revoke an admin's device": (NF, NF, NF, NF, NF, NF, OK),   # the admin is in KEC-01
    "read periods": EVERYONE, "create a period": REF_WRITE, "generate periods": REF_WRITE,
    "patch a period": REF_WRITE, "close a period": REF_WRITE, "reopen a period": REF_WRITE,
    "read service types": EVERYONE, "create a service type": REF_WRITE,
    "patch a service type": REF_WRITE, "deactivate a service type": REF_WRITE,
    "read holidays": EVERYONE, "import a holiday year": REF_WRITE, "add a holiday": REF_WRITE,
    "remove that holiday": REF_WRITE,
    # Uploads are the caller's own (person, sha256): another's is never addressed (no audit).
    "HEAD the upload of the file": (OK,) + ((404, None),) * 6,
    "PATCH the upload of the file": (OK,) + (NF,) * 6,
    "GET the file": (OK, NF, OK, NF, OK, NF, OK),
    # Knowing a hash is not having the file: everyone else must send the bytes.
    "create an upload of the file": ((200, "complete"),) + ((200, "started"),) * 6,
    # Anyone carries a bundle; its ops apply as the device's person, never as the uploader.
    "upload the device's bundle": (APPLIED,) * 7,
}
NOT_AUDITED = {"HEAD the upload of the file", "PATCH the upload of the file"}


def _refused(cell: Cell) -> bool:
    return cell[0] >= 400 or (cell[1] or "").startswith("E_")


def _denials_since(o: Office, last: int) -> tuple[int, list[str]]:
    with o.server.engine.connect() as conn:
        rows = conn.execute(select(audit_event.c.id, audit_event.c.actor).where(
            audit_event.c.id > last, audit_event.c.action.like("%.denied"))).all()
        top = conn.execute(select(func.max(audit_event.c.id))).scalar() or 0
    return int(top), [str(r.actor) for r in rows]


def test_authorization_matrix(office: Office) -> None:
    assert list(ACTIONS) == list(MATRIX)
    mismatches = []
    last, _ = _denials_since(office, 0)
    for action, expected in MATRIX.items():
        for n, (column, want) in enumerate(zip(COLUMNS, expected, strict=True)):
            who, whom = COLUMNS[column]
            try:
                got = ACTIONS[action](office, who, whom, n)
            except Exception as exc:  # e.g. a push not answered 200: note it, go on
                got = (0, repr(exc)[:80])
            if got != want:
                allowed = not _refused(got) and _refused(want)
                mismatches.append(f"{'UNEXPECTED ALLOW ' if allowed else ''}{action} "
                                  f"[{column}]: got {got}, want {want}")
            last, actors = _denials_since(office, last)
            logged = office.ids[who] in actors
            if action not in NOT_AUDITED and logged != _refused(want):
                mismatches.append(f"{action} [{column}]: refusal audited={logged}")
    assert not mismatches, "\n".join(mismatches)  # every mismatch at once


def test_an_employee_cannot_write_decisions_or_others_data_inside_a_valid_batch(
        office: Office) -> None:
    """S-15: in one push, the forbidden ops are refused and audited; the rest apply."""
    o, skp, skp_r, rating = office, office.skp["pegawai"], office.skp["pegawai_r"], uuid7()
    rate = {"skp_id": skp, "period_id": "2026-TW1", "rating_hasil_kerja": "Sesuai Ekspektasi",
            "rating_perilaku": "Sesuai Ekspektasi"}
    for kind, kind_of, entity_id, payload in (("approve", "skp", skp, {}),
                                             ("rate", "penilaian", rating, rate)):
        result = o.actors["atasan"].send(kind, kind_of, entity_id, payload, o.version("skp", skp))
        assert result.status is OpStatus.APPLIED, result
    new_log, new_skp, seen, me = uuid7(), uuid7(), o.version("skp", skp), o.actors["pegawai"]
    ny, ns = "E_FORBIDDEN/not_yours", "E_FORBIDDEN/not_your_subordinate"
    batch: list[tuple[str, str, str, int | None, dict[str, Any], str]] = [
        ("create", "log_harian", new_log, None, _day("2026-03-04", "Rapat"), "applied"),
        ("edit_fields", "skp", skp_r, None, {"status": "Disetujui"}, "E_FORBIDDEN/workflow_field"),
        ("edit_fields", "skp", skp_r, None, {"penilai_id": o.ids["pegawai"]},
         "E_INVALID/unknown_field"),
        ("approve", "skp", skp_r, o.version("skp", skp_r), {}, ns),
        ("rate", "penilaian", uuid7(), seen, rate, ns),
        ("create", "penilaian", uuid7(), None, {**rate, "predikat": "Sangat Baik"}, ny),
        ("edit_fields", "penilaian", rating, 1, {"predikat": "Sangat Baik"}, ny),
        ("attach", "penilaian", rating, 1, {"tautan": "https://x.id/palsu"}, ny),
        ("delete", "penilaian", rating, 1, {}, ny),
        ("edit_fields", "log_harian", o.log["rekan"], 2, {"kegiatan": "Diubah"}, ny),
        ("create", "rhk", uuid7(), None, {"skp_id": o.skp["rekan"], "jenis": "utama",
                                          "teks": "Sisipan"}, ny),
        ("create", "skp", uuid7(), None, _head(NIPS["rekan"]), ny),
        ("create", "skp", new_skp, None, {**_head(NIPS["pegawai"], 2027), "status": "Disetujui"},
         "applied"),
        ("edit_fields", "log_harian", o.log["pegawai"], 2, {"kegiatan": "Rekam"}, "applied"),
    ]
    ops = [_op(me.seq + i + 1, *op[:5]) for i, op in enumerate(batch)]
    me.seq += len(ops)
    before, _ = _denials_since(o, 0)
    got = [_outcome(r) for r in o.actors["pegawai"].session.push(ops).results]
    assert [(i, g, op[5]) for i, (g, op) in enumerate(zip(got, batch, strict=True))
            if g != op[5]] == []
    _, actors = _denials_since(o, before)
    assert actors == [o.ids["pegawai"]] * sum(op[5].startswith("E_FORBIDDEN") for op in batch)
    with o.server.engine.connect() as conn:
        data = {r.id: (r.version, r.deleted, r.data) for r in conn.execute(select(entity))}
    assert data[rating][:2] == (1, False) and '"predikat": "Baik"' in data[rating][2]
    assert '"bukti"' not in data[rating][2] and '"status": "Diajukan"' in data[skp_r][2]
    assert '"status": "Draft"' in data[new_skp][2]            # a client's status is not taken
    assert '"kegiatan": "Merekam KTP-el"' in data[o.log["rekan"]][2]
    assert '"kegiatan": "Rekam"' in data[o.log["pegawai"]][2] and new_log in data
