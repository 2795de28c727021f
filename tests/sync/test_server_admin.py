"""HR and admin routes over real HTTP: roster import, people, accounts, authorization matrix."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from sync.server import accounts, roster, security
from sync.server.schema import audit_event, hr_assignment, org_unit, person, supervisor_link
from tests.sync.conftest import RunningServer
from tests.sync.test_server_auth import Device, bearer, login

PASSWORD = "kata sandi server"
NIP = {
    "admin": "197501012000031004",
    "hr_a": "198001012005011003",
    "hr_b": "198501012010012005",
    "pegawai": "199102022019032003",
    "korban": "199203032018011004",   # an ordinary employee of unit A: the object acted on
}
ROLES = ("pegawai", "hr_a", "hr_b", "admin")


@functools.cache
def _hash() -> str:
    return security.hash_password(PASSWORD)   # once per run: each hash costs ~0.2 s


@dataclass
class Org:
    server: RunningServer
    ids: dict[str, str]
    tokens: dict[str, str]

    def call(self, role: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.server.url + path, timeout=30,
                                headers=bearer(self.tokens[role]), **kwargs)

    def person(self, key: str) -> Any:
        with self.server.engine.connect() as conn:
            return conn.execute(select(person).where(person.c.id == self.ids[key])).one()


@pytest.fixture
def org(server: RunningServer) -> Org:
    """Units A (KEC-01) and B (KEC-02); an admin (in A), HR of A, HR of B, two employees of A;
    every role except the victim logged in once."""
    with server.engine.begin() as conn:
        conn.execute(org_unit.insert().values(id="KEC-01", kode="01", nama="Kecamatan Sukamaju"))
        conn.execute(org_unit.insert().values(id="KEC-02", kode="02", nama="Kecamatan Mekarsari"))
        units = {"admin": "KEC-01", "hr_a": "KEC-01", "hr_b": "KEC-02", "pegawai": "KEC-01",
                 "korban": "KEC-01"}
        ids = {key: accounts.create_person(conn, server.clock(), nip=nip, nama=key.title(),
                                           unit_id=units[key], is_admin=key == "admin")
               for key, nip in NIP.items()}
        conn.execute(person.update().values(password_hash=_hash()))
        conn.execute(hr_assignment.insert().values(person_id=ids["hr_a"], unit_id="KEC-01"))
        conn.execute(hr_assignment.insert().values(person_id=ids["hr_b"], unit_id="KEC-02"))
    tokens = {}
    for role in ROLES:
        answer = login(server, NIP[role], PASSWORD, Device())
        assert answer.status_code == 200, answer.text
        tokens[role] = answer.json()["access_token"]
    return Org(server, ids, tokens)


HEADER = ("nip;jenis_asn;nama;gelar_depan;gelar_belakang;jabatan;jenis_jabatan;jenjang;golongan;"
          "unit_kode;unit_nama;nip_penilai;nip_atasan_penilai;penilai_non_asn;berlaku_mulai")
ROSTER = "\ufeff" + "\r\n".join([
    HEADER,
    # 2: supervisor defined later in the file (line 7); grouped NIPs; titles; a quoted ';'
    '19860926 201505 1 001;PNS;Siti Aminah;Dr.;S.Pd., M.Pd.;"Analis; Kebijakan";'
    "fungsional_keahlian;ahli muda;iii-c;KEC-01;;19700101 199503 1 002;;;2020-01-01",
    # 3: PPPK with code 21 where a NIP has its month
    "19900101 2022 21 1 001;PPPK;Budi;;;Guru;fungsional_keahlian;Ahli Pertama;9;KEC-01;;"
    "197001011995031002;;;2020-01-01",
    # 4: TMT month 13
    "19860926 201513 1 001;PNS;Salah Bulan;;;;;;III/a;KEC-01;;;;;",
    # 5: a golongan that does not exist
    "199305052020122001;PNS;Rina;;;;;;III/z;KEC-01;;;;;",
    # 6: an unknown unit without a name
    "199306062020121001;PNS;Joko;;;;;;II/b;KEC-99;;;;;",
    # 7: the supervisor (its own penilai: a non-ASN evaluator further down)
    "19700101 199503 1 002;PNS;Rahmat;;;Camat;jpt_pratama;;IV/a;KEC-01;;;;Bupati Sukamaju;"
    "2020-01-01",
    # 8: a new unit, created because it is named
    "199305052020121001;;Ani;;;Lurah;administrator;;III/d;KEL-01;Kelurahan Baru;;;;",
    "",
    # 10: the same NIP twice
    "198609262015051001;PNS;Siti Lagi;;;;;;;KEC-01;;;;;",
    # 11: the non-ASN evaluator: no NIP, no golongan
    ";NON_ASN;Bupati Sukamaju;;;Bupati;;;;KEC-01;;;;;",
]) + "\r\n"


def _errors(body: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(e["line"], e["field"], e["code"]) for e in body["errors"]]


def _links(org: Org, nip: str) -> list[tuple[str | None, str, str | None]]:
    with org.server.engine.connect() as conn:
        pegawai = conn.execute(select(person.c.id).where(person.c.nip == nip)).scalar_one()
        nips = {r.id: r.nip for r in conn.execute(select(person.c.id, person.c.nip))}
        names = {r.id: r.nama for r in conn.execute(select(person.c.id, person.c.nama))}
        rows = conn.execute(select(supervisor_link).where(supervisor_link.c.pegawai_id == pegawai)
                            .order_by(supervisor_link.c.berlaku_mulai))
        return [(nips[r.penilai_id] or names[r.penilai_id], r.berlaku_mulai, r.berlaku_sampai)
                for r in rows]


def _count(org: Org, table: Any) -> int:
    with org.server.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_roster_columns_are_documented() -> None:
    assert roster.__doc__ is not None
    for name, _ in roster.COLUMNS:
        assert name in roster.__doc__


def test_roster_import_keeps_good_rows_and_reports_bad_ones_by_line(org: Org) -> None:
    expected_errors = [(4, "nip", "bad_month"), (5, "golongan", "unknown"),
                       (6, "unit_kode", "unknown_unit"), (10, "nip", "duplicate")]
    people_before = _count(org, person)
    preview = org.call("admin", "POST", "/admin/roster/preview", json={"csv": ROSTER})
    assert preview.status_code == 200, preview.text
    assert _errors(preview.json()) == expected_errors
    assert _count(org, person) == people_before          # a preview writes nothing

    answer = org.call("admin", "POST", "/admin/roster/import", json={"csv": ROSTER})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert _errors(body) == expected_errors
    assert {k: body[k] for k in ("rows", "created", "updated", "units_created",
                                 "links_opened", "links_closed")} == {
        "rows": 9, "created": 5, "updated": 0, "units_created": 1, "links_opened": 3,
        "links_closed": 0}
    assert {k: preview.json()[k] for k in body if k != "warnings"} == {
        k: body[k] for k in body if k != "warnings"}
    assert "Salah" not in answer.text and "201513" not in answer.text   # no row content echoed
    assert _count(org, person) == people_before + 5

    with org.server.engine.connect() as conn:
        siti = conn.execute(select(person).where(person.c.nip == "198609262015051001")).one()
        budi = conn.execute(select(person).where(person.c.nip == "199001012022211001")).one()
        bupati = conn.execute(select(person).where(person.c.nama == "Bupati Sukamaju")).one()
        unit = conn.execute(select(org_unit).where(org_unit.c.id == "KEL-01")).one()
    assert (siti.gelar_depan, siti.gelar_belakang, siti.jabatan, siti.golongan, siti.jenjang) == (
        "Dr.", "S.Pd., M.Pd.", "Analis; Kebijakan", "III/c", "Ahli Muda")
    assert (budi.jenis_asn, budi.golongan) == ("PPPK", "IX")
    assert (bupati.nip, bupati.jenis_asn, bupati.golongan) == (None, "NON_ASN", None)
    assert siti.password_hash is None and not siti.is_admin
    assert unit.nama == "Kelurahan Baru"
    assert _links(org, "198609262015051001") == [("197001011995031002", "2020-01-01", None)]
    assert _links(org, "197001011995031002") == [("Bupati Sukamaju", "2020-01-01", None)]


def test_reimport_changes_one_supervisor_and_keeps_history(org: Org) -> None:
    first = org.call("admin", "POST", "/admin/roster/import", json={"csv": ROSTER})
    assert first.status_code == 200
    korban_hash = org.person("korban").password_hash
    again = ROSTER.replace(  # Siti gets Ani as penilai from July; a known person is updated
        "19700101 199503 1 002;;;2020-01-01", "199305052020121001;;;2024-07-01"
    ).replace("Salah Bulan", "Salah Lagi") + (
        f"{NIP['korban']};PNS;Korban Baru;;;Pengadministrasi;pelaksana;;II/c;KEC-01;;;;;\r\n")
    body = org.call("admin", "POST", "/admin/roster/import", json={"csv": again}).json()
    assert {k: body[k] for k in ("created", "updated", "unchanged", "units_created",
                                 "links_opened", "links_closed")} == {
        "created": 0, "updated": 1, "unchanged": 5, "units_created": 0, "links_opened": 1,
        "links_closed": 1}
    assert _links(org, "198609262015051001") == [
        ("197001011995031002", "2020-01-01", "2024-06-30"),
        ("199305052020121001", "2024-07-01", None)]
    assert _links(org, "199001012022211001") == [("197001011995031002", "2020-01-01", None)]
    korban = org.person("korban")
    assert (korban.nama, korban.golongan, korban.password_hash, korban.disabled,
            korban.is_admin) == ("Korban Baru", "II/c", korban_hash, False, False)
    # The list shows the link in force today, by NIP.
    listed = org.call("admin", "GET", "/admin/people", params={"unit": "KEC-01"}).json()
    siti = next(p for p in listed if p["nip"] == "198609262015051001")
    assert siti["penilai_nip"] == "199305052020121001"
    assert all("password" not in key for p in listed for key in p)


def test_backdated_change_and_file_errors(org: Org) -> None:
    assert org.call("admin", "POST", "/admin/roster/import", json={"csv": ROSTER}).ok
    backdated = "\n".join([HEADER.replace(";", ","), "198609262015051001,PNS,Siti Aminah,,,,,,,"
                           "KEC-01,,199305052020121001,,,2019-12-01"])
    body = org.call("admin", "POST", "/admin/roster/import", json={"csv": backdated}).json()
    assert _errors(body) == [(2, "berlaku_mulai", "before_current")]
    typo = org.call("admin", "POST", "/admin/roster/import", json={"csv": "nip;nama;golongn\n"})
    assert (typo.status_code, typo.json()) == (422, {"error": "unknown_column",
                                                     "field": "golongn"})
    many = "nama\n" + "x\n" * (roster.MAX_ROWS + 1)
    huge = org.call("admin", "POST", "/admin/roster/preview", json={"csv": many})
    assert (huge.status_code, huge.json()) == (413, {"error": "too_many_rows"})
    nul = org.call("admin", "POST", "/admin/roster/import", json={"csv": "nama\nSi\x00ti\n"})
    assert (nul.status_code, nul.json()) == (422, {"error": "invalid_request"})


def test_preview_without_database_checks_rows_only() -> None:
    report = roster.preview_roster(ROSTER)
    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (4, "nip", "bad_month"), (5, "golongan", "unknown"), (10, "nip", "duplicate")]
    assert report.rows == 9


# --- Authorization matrix (S-13) and IDOR logging (S-14) --------------------------------------

A_ROW = HEADER + f"\n{NIP['korban']};PNS;Korban;;;;;;II/a;KEC-01;;;;;\n"


def _list(org: Org, role: str) -> tuple[int, str | None]:
    answer = org.call(role, "GET", "/admin/people", params={"unit": "KEC-01"})
    return answer.status_code, None


def _get(org: Org, role: str) -> tuple[int, str | None]:
    return org.call(role, "GET", f"/admin/people/{org.ids['korban']}").status_code, None


def _disable(org: Org, role: str) -> tuple[int, str | None]:
    status = org.call(role, "POST", f"/admin/people/{org.ids['korban']}/disable").status_code
    if status == 200:
        assert org.person("korban").disabled
        assert org.call("admin", "POST", f"/admin/people/{org.ids['korban']}/enable").ok
    return status, None


def _password(org: Org, role: str) -> tuple[int, str | None]:
    return org.call(role, "POST", f"/admin/people/{org.ids['korban']}/password",
                    json={"password": "sandi baru 123"}).status_code, None


def _import(org: Org, role: str) -> tuple[int, str | None]:
    answer = org.call(role, "POST", "/admin/roster/import", json={"csv": A_ROW})
    codes = [e["code"] for e in answer.json().get("errors", [])] if answer.ok else []
    return answer.status_code, ",".join(codes) or None


def _admin_password(org: Org, role: str) -> tuple[int, str | None]:
    return org.call(role, "POST", f"/admin/people/{org.ids['admin']}/password",
                    json={"password": "ambil alih 123"}).status_code, None


def _hr_password(org: Org, role: str) -> tuple[int, str | None]:   # HR B lives in no HR A unit
    return org.call(role, "POST", f"/admin/people/{org.ids['hr_b']}/password",
                    json={"password": "ambil alih 123"}).status_code, None


def _unit(org: Org, role: str) -> tuple[int, str | None]:
    return org.call(role, "POST", "/admin/units", json={
        "id": "KEC-03", "kode": "03", "nama": "Kecamatan Baru", "induk_id": None}).status_code, None


def _make_hr(org: Org, role: str) -> tuple[int, str | None]:
    return org.call(role, "POST", "/admin/hr", json={
        "person_id": org.ids["pegawai"], "unit_id": "KEC-02"}).status_code, None


ACTIONS: dict[str, Callable[[Org, str], tuple[int, str | None]]] = {
    "list people of A": _list, "get a person of A": _get, "disable": _disable,
    "set password": _password, "import a row of A": _import,
    "set an admin's password": _admin_password, "set HR B's password": _hr_password,
    "create a unit": _unit, "make someone HR": _make_hr,
}
#                          pegawai          hr_a                  hr_b              admin
MATRIX: dict[str, tuple[Any, ...]] = {
    "list people of A":        (404, 200, 404, 200),
    "get a person of A":       (404, 200, 404, 200),
    "disable":                 (404, 200, 404, 200),
    "set password":            (404, 200, 404, 200),
    "import a row of A":       (403, 200, (200, "forbidden_unit"), 200),
    "set an admin's password": (404, 404, 404, 200),
    "set HR B's password":     (404, 404, 200, 200),
    "create a unit":           (403, 403, 403, 200),
    "make someone HR":         (403, 403, 403, 200),
}


def test_authorization_matrix(org: Org) -> None:
    mismatches = []
    denied = 0
    for action, expected in MATRIX.items():
        for role, want in zip(ROLES, expected, strict=True):
            want_status, want_code = want if isinstance(want, tuple) else (want, None)
            got = ACTIONS[action](org, role)
            if got != (want_status, want_code):
                mismatches.append((action, role, got, want))
            denied += want_status in (403, 404)
    assert mismatches == []
    with org.server.engine.connect() as conn:
        logged = conn.execute(select(func.count()).select_from(audit_event)
                              .where(audit_event.c.action.like("%.denied"))).scalar_one()
    assert logged == denied      # every refusal is in the audit log


def test_hr_cannot_pull_a_person_into_its_unit(org: Org) -> None:
    steal = HEADER + f"\n{NIP['korban']};PNS;Korban;;;;;;;KEC-02;;;;;\n"
    body = org.call("hr_b", "POST", "/admin/roster/import", json={"csv": steal}).json()
    assert _errors(body) == [(2, "unit_kode", "forbidden_unit")]
    assert org.person("korban").unit_id == "KEC-01"
    new_unit = HEADER + "\n199306062020121001;PNS;Joko;;;;;;;KEC-77;Kecamatan Palsu;;;;\n"
    body = org.call("hr_a", "POST", "/admin/roster/import", json={"csv": new_unit}).json()
    assert _errors(body) == [(2, "unit_kode", "forbidden_unit")] and body["units_created"] == 0


def test_password_set_by_hr_then_login(org: Org) -> None:
    answer = org.call("hr_a", "POST", f"/admin/people/{org.ids['korban']}/password",
                      json={"password": "sandi baru 123"})
    assert answer.status_code == 200 and "argon2" not in answer.text
    assert login(org.server, NIP["korban"], "sandi baru 123", Device()).status_code == 200
    short = org.call("hr_a", "POST", f"/admin/people/{org.ids['korban']}/password",
                     json={"password": "pendek"})
    assert (short.status_code, short.json()) == (422, {"error": "invalid_request"})
    with org.server.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_event.c.action))]
    assert "people.password" in actions


def test_disabled_person_loses_access_and_comes_back(org: Org) -> None:
    token = org.tokens["pegawai"]
    assert requests.get(f"{org.server.url}/devices", headers=bearer(token), timeout=10).ok
    assert org.call("hr_a", "POST", f"/admin/people/{org.ids['pegawai']}/disable").ok
    gone = requests.get(f"{org.server.url}/devices", headers=bearer(token), timeout=10)
    assert (gone.status_code, gone.json()) == (401, {"error": "account_disabled"})
    assert org.call("admin", "POST", f"/admin/people/{org.ids['pegawai']}/enable").ok
    assert requests.get(f"{org.server.url}/devices", headers=bearer(token), timeout=10).ok
    me = org.call("admin", "POST", f"/admin/people/{org.ids['admin']}/disable")
    assert (me.status_code, me.json()) == (409, {"error": "cannot_disable_self"})


def test_units_and_hr_assignments(org: Org) -> None:
    unit = org.call("admin", "POST", "/admin/units", json={
        "id": "KEL-02", "kode": "0201", "nama": "Kelurahan", "induk_id": "KEC-02"})
    assert unit.status_code == 200
    loop = org.call("admin", "POST", "/admin/units",
                    json={"id": "KEC-02", "nama": "Kecamatan Mekarsari", "induk_id": "KEL-02"})
    assert (loop.status_code, loop.json()) == (409, {"error": "cycle"})
    assert org.call("admin", "POST", "/admin/hr",
                    json={"person_id": org.ids["pegawai"], "unit_id": "KEC-02"}).ok
    # The new HR officer logs in again and may now list unit B, and only until removed.
    token = login(org.server, NIP["pegawai"], PASSWORD, Device()).json()["access_token"]
    org.tokens["pegawai"] = token
    assert org.call("pegawai", "GET", "/admin/people", params={"unit": "KEC-02"}).ok
    assert org.call("admin", "DELETE", f"/admin/hr/{org.ids['pegawai']}/KEC-02").ok
    assert org.call("pegawai", "GET", "/admin/people",
                    params={"unit": "KEC-02"}).status_code == 404
    for method, path, body in (("POST", "/admin/units", {"id": "X", "nama": "a\x00"}),
                               ("GET", "/admin/people/abc%00def", None),
                               ("DELETE", "/admin/hr/abc%00/KEC-01", None)):
        nul = org.call("admin", method, path, json=body)
        assert (nul.status_code, nul.json()) == (422, {"error": "invalid_request"})
