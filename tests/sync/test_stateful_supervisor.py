"""Hypothesis stateful test of the SKP workflow across people: an employee's two devices and
their pejabat penilai's device work offline and sync in any order through a lossy link.

The employee edits the plan (the same and different fields on either device), adds log
harian, submits and withdraws, and settles conflicts; the penilai approves, returns with a
note, rates and gives umpan balik, each decision naming the SKP version last synced. Any
of the three syncs at any time, possibly losing the push's ack or meeting a captive portal.

Checked along the way: a plan edit reaching the server while the SKP is Disetujui is kept
as an amendment, never refused or applied. Checked at the end, after everyone has synced
cleanly (and settled conflicts): every op of every device answered exactly once with the
server's stored answer; effects counted on the server equal the applied ops (log harian,
umpan balik, one rating per period, conflict records, held changes); the SKP moved through
legal transitions only; stale decisions refused and still shown on the penilai's device;
every replica's data and checksum equal to the server's.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select, update

from asndesk.store.ids import uuid7
from asndesk.team_usecases import DecisionPending
from asndesk.workspace import Workspace
from sync.client import SyncClient
from sync.server import accounts, security
from sync.server.schema import conflict, entity, op_result, person, supervisor_link
from sync.server.store_changes import checksum_of
from tests.sync.conftest import RunningServer
from tests.sync.faultproxy import FaultProxy
from tests.sync.test_stateful import FAULTS, PASSWORD, WORDS, fresh_nip, new_device, sync_through

PENILAI = 2  # self.ws / self.clients: 0 the employee's office PC, 1 their laptop, 2 the penilai's
TAHUN = 2026
# (kind, field) -> a few values (the plan starts with the last), so that two devices often
# write the same field, and often a value the server already has.
EDITS: dict[tuple[str, str], tuple[str, ...]] = {
    ("rhk", "teks"): ("Terlaksananya perekaman KTP-el",
                      "Terlaksananya perekaman KTP-el seluruh desa",
                      "Meningkatnya cakupan layanan adminduk",
                      "Tertibnya administrasi kependudukan"),
    ("rhk", "rhk_atasan"): ("Cakupan layanan", "Cakupan layanan kecamatan",
                            "Meningkatnya kepuasan masyarakat"),
    ("iki", "indikator"): ("KTP-el terekam", "Jumlah KTP-el terekam", "Persentase KTP-el terekam"),
    ("iki", "target_nilai"): ("1200", "1500", "900", "1000"),
}
RATINGS = ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")
NOTES = ("Target IKI terlalu rendah; naikkan ke 1.500", "Rumuskan RHK lebih terukur")
FEEDBACK = ("Pertahankan capaian", "Lengkapi bukti dukung", "Rumuskan RHK lebih terukur")
PLAN_KINDS = frozenset({"rhk", "iki", "lampiran"})
WORKFLOW = frozenset({"submit", "withdraw", "approve", "return"})
EDITABLE = ("Draft", "Dikembalikan")
DEVICES = ("pc", "laptop", "atasan")  # the employee's two devices, the penilai's one
_FIELDS = st.sampled_from(sorted(EDITS))
_PICK = st.integers(0, 3)
_EMPLOYEE_ACTIONS = st.one_of(
    st.tuples(st.just("edit"), _FIELDS, _PICK),
    st.tuples(st.just("edit_both"), _FIELDS, st.tuples(_PICK, _PICK)),
    st.tuples(st.just("add_log"), st.sampled_from(WORDS), st.integers(7, 15)),
    st.just(("submit",)), st.just(("withdraw",)),
    st.tuples(st.just("resolve"), st.sampled_from(["mine", "theirs"])))
_PENILAI_ACTIONS = st.one_of(
    st.just(("approve",)), st.tuples(st.just("return"), st.sampled_from(NOTES)),
    st.tuples(st.just("rate"), st.sampled_from(["TW1", "TW2"]), st.sampled_from(RATINGS),
              st.sampled_from(RATINGS)),
    st.tuples(st.just("feedback"), st.booleans(), st.sampled_from(FEEDBACK)))
# A step, each kind as likely: (device, action, args…) of the employee, ("atasan", decision,
# args…) of the penilai, or ("sync", device, fault), a sync through the lossy link.
STEPS = st.one_of(
    st.tuples(st.sampled_from(DEVICES[:2]), _EMPLOYEE_ACTIONS).map(lambda t: (t[0], *t[1])),
    _PENILAI_ACTIONS.map(lambda t: ("atasan", *t)),
    st.tuples(st.just("sync"), st.sampled_from(DEVICES), st.sampled_from(FAULTS)))
# Where an example begins: the SKP's status on the server, and whether the laptop was away
# meanwhile (so it still shows the Draft).
STARTS = (("Draft", False), ("Diajukan", False), ("Diajukan", True), ("Dikembalikan", False),
          ("Disetujui", False), ("Disetujui", True))
# The SKP's legal moves (architecture §4, domain.md §2): (status, op) -> next status.
LEGAL = {
    ("Draft", "submit"): "Diajukan", ("Dikembalikan", "submit"): "Diajukan",
    ("Diajukan", "withdraw"): "Draft", ("Dikembalikan", "withdraw"): "Draft",
    ("Diajukan", "approve"): "Disetujui", ("Diajukan", "return"): "Dikembalikan",
}
# Why an op may be refused here: the plan was submitted or decided meanwhile, or a decision
# named a version since changed. Anything else is a bug (in the code, or in this test).
REFUSALS = frozenset({("E_INVALID_STATE", "skp_not_editable"),
                      ("E_INVALID_STATE", "bad_transition"),
                      ("E_INVALID_STATE", "skp_not_approved"),
                      ("E_STALE_DECISION", "stale_decision")})
# Local columns that are the device's own bookkeeping, not the server's data.
LOCAL_ONLY = frozenset({"version", "updated_at", "created_at"})


def _answers(ws: Workspace) -> dict[int, dict[str, Any]]:
    """Each outbox op by seq: kind, entity, base version, payload, state and stored answer."""
    found = {}
    for r in ws.store.query("SELECT seq, op_id, kind, entity_kind, entity_id, base_version,"
                            " payload, state, result FROM outbox ORDER BY seq"):
        found[int(r[0])] = {"op_id": r[1], "kind": r[2], "entity_kind": r[3],
                            "entity_id": r[4], "base_version": r[5],
                            "payload": json.loads(r[6]), "state": r[7],
                            "result": json.loads(r[8]) if r[8] else None}
    return found


def _local_rows(ws: Workspace, kind: str) -> dict[str, dict[str, Any]]:
    cursor = ws.store.conn.execute(f"SELECT * FROM {kind}")
    names = [d[0] for d in cursor.description]
    return {str(r[0]): dict(zip(names, r, strict=True)) for r in cursor.fetchall()}


@pytest.mark.slow
@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_employee_and_penilai_converge_in_any_interleaving(server: RunningServer) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    password_hash = security.hash_password(PASSWORD)  # once: each hash costs ~0.2 s

    class Office(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.nip, self.nip_atasan = fresh_nip(), fresh_nip("19700101", "199503")
            now = server.clock()
            with server.engine.begin() as conn:
                self.person = accounts.create_person(conn, now, nip=self.nip, nama="Siti")
                self.penilai = accounts.create_person(conn, now, nip=self.nip_atasan,
                                                      nama="Rahmat")
                conn.execute(update(person).where(person.c.id.in_([self.person, self.penilai]))
                             .values(password_hash=password_hash))
                conn.execute(supervisor_link.insert().values(
                    id=uuid7(), pegawai_id=self.person, penilai_id=self.penilai,
                    berlaku_mulai=f"{TAHUN}-01-01"))
            self.folder = Path(tempfile.mkdtemp(prefix="asndesk-stateful-penilai-"))
            self.proxy = FaultProxy("127.0.0.1", port).start()
            self.ws: list[Workspace] = []
            self.clients: list[SyncClient] = []
            for name, nip, nama in (("pc", self.nip, "Siti"), ("laptop", self.nip, "Siti"),
                                    ("atasan", self.nip_atasan, "Rahmat")):
                ws, client = new_device(self.folder, name, nip, nama, self.proxy.url)
                self.ws.append(ws)
                self.clients.append(client)
            # The plan is drafted on the PC and reaches the laptop and the penilai.
            pc = self.ws[0]
            self.skp = pc.create_skp(TAHUN, "pelaksana").primary_id or ""
            self.rhk = pc.add_rhk(self.skp, EDITS["rhk", "teks"][-1],
                                  rhk_atasan=EDITS["rhk", "rhk_atasan"][-1]).primary_id or ""
            self.iki = pc.add_iki(self.rhk, EDITS["iki", "indikator"][-1],
                                  EDITS["iki", "target_nilai"][-1], "Keping",
                                  aspek="Kuantitas").primary_id or ""
            for client in self.clients:
                client.sync_once()
            self.logs_added = 0
            self.decisions_made = 0  # approve, return, rate, umpan balik queued by the penilai
            self.statuses = [self._server_status()]  # as seen after each step, changes only
            self.checked: dict[str, int] = {}  # per device: the op answers checked so far
            self._skip_answers()

        # -- reads ---------------------------------------------------------------------------
        def _server_status(self) -> str:
            with server.engine.connect() as conn:
                row = conn.execute(select(entity.c.data).where(
                    entity.c.kind == "skp", entity.c.id == self.skp)).scalar_one()
            return str(json.loads(row)["status"])

        def _team_head(self) -> dict[str, Any] | None:
            """The SKP as the penilai's device last synced it (None: not there yet)."""
            view = self.ws[PENILAI].team_member(self.nip, TAHUN)
            return view.head or None

        @initialize(scenario=st.sampled_from(STARTS))
        def start_from(self, scenario: tuple[str, bool]) -> None:
            """Begin some examples further on (the plan submitted from the PC, or approved too),
            perhaps with the laptop away meanwhile (it still shows the Draft), so that deciding
            and amending are reached within a few steps."""
            start, laptop_away = scenario
            if start != "Draft":
                self.ws[0].submit_skp(self.skp)
                self.clients[0].sync_once()
                self.clients[PENILAI].sync_once()
            if start in ("Disetujui", "Dikembalikan"):
                if start == "Disetujui":
                    self.ws[PENILAI].approve_skp(self.skp)
                else:
                    self.ws[PENILAI].return_skp(self.skp, NOTES[0])
                self.decisions_made += 1
                self.clients[PENILAI].sync_once()
                self.clients[0].sync_once()
            if not laptop_away:
                self.clients[1].sync_once()
            assert self._server_status() == start
            self.statuses = [self._server_status()]
            self._skip_answers()

        def _skip_answers(self) -> None:
            """The answers so far belong to the set-up: the rules' syncs check those after."""
            with server.engine.connect() as conn:
                for ws in self.ws:
                    self.checked[ws.store.device_id] = int(conn.execute(
                        select(func.coalesce(func.max(op_result.c.seq), 0)).where(
                            op_result.c.device_id == ws.store.device_id)).scalar_one())

        def _device_showing(self, device: int, *statuses: str) -> Workspace | None:
            """`device` if the SKP shows one of `statuses` there, else the other employee
            device if it does, else None."""
            for d in (device, 1 - device):
                if self.ws[d].skp(self.skp).status in statuses:
                    return self.ws[d]
            return None

        # One rule, the step drawn from everything anyone may do: with a rule per action (or
        # per actor), Hypothesis's swarm of enabled rules left most of these few examples
        # repeating a single action.
        @rule(step=STEPS)
        def act(self, step: tuple[Any, ...]) -> None:
            who, action, *args = step
            if who == "sync":
                self._sync(DEVICES.index(action), args[0])
            elif who == "atasan":
                self._penilai(action, *args)
            else:
                self._employee(DEVICES.index(who), action, *args)

        def _employee(self, device: int, action: str, *args: Any) -> None:
            """What the employee does on one device (or, if that does not fit what it shows,
            on the other); a step that fits neither (editing a plan shown as submitted)
            does nothing."""
            if action == "add_log":
                word, hour = args
                self.ws[device].add_log(f"{TAHUN}-11-20", f"{hour:02d}:00", f"{hour:02d}:30",
                                        word)
                self.logs_added += 1
            elif action == "resolve":
                ws = next((self.ws[d] for d in (device, 1 - device) if self.ws[d].conflicts()),
                          None)
                if ws is not None:
                    ws.resolve_conflict(ws.conflicts()[0].seq, args[0])
            elif action == "withdraw":
                ws = self._device_showing(device, "Diajukan", "Dikembalikan")
                if ws is not None:
                    ws.withdraw_skp(self.skp)
            elif (ws := self._device_showing(device, *EDITABLE)) is None:
                return
            elif action == "submit":
                ws.submit_skp(self.skp)
            elif action == "edit":
                self._edit(ws, *args)
            else:  # the same field on both devices, offline (to different values or not)
                (kind, name), picks = args
                for d, pick in zip((device, 1 - device), picks, strict=True):
                    if self.ws[d].skp(self.skp).status in EDITABLE:
                        self._edit(self.ws[d], (kind, name), pick)

        def _edit(self, ws: Workspace, field: tuple[str, str], pick: int) -> None:
            kind, name = field
            changes: dict[str, Any] = {name: EDITS[field][pick % len(EDITS[field])]}
            if kind == "rhk":
                ws.edit_rhk(self.rhk, **changes)
            else:
                ws.edit_iki(self.iki, **changes)

        def _penilai(self, action: str, *args: Any) -> None:
            """A decision or umpan balik on the SKP as the penilai's device last synced it,
            naming that version; one that does not fit the status shown does nothing."""
            atasan = self.ws[PENILAI]
            head = self._team_head()
            assert head is not None
            needs = {"approve": "Diajukan", "return": "Diajukan", "rate": "Disetujui"}
            if action in needs and head["status"] != needs[action]:
                return
            try:
                if action == "approve":
                    atasan.approve_skp(head["id"])
                elif action == "return":
                    atasan.return_skp(head["id"], args[0])
                elif action == "rate":
                    period, hasil, perilaku = args
                    atasan.rate_skp(head["id"], f"{TAHUN}-{period}", hasil, perilaku)
                else:
                    about_rhk, teks = args
                    atasan.give_feedback(head["id"], teks,
                                         sasaran_jenis="rhk" if about_rhk else "umum",
                                         sasaran_id=self.rhk if about_rhk else None)
            except DecisionPending:
                return  # an approve/return not answered yet (e.g. its ack was lost)
            self.decisions_made += 1

        def _sync(self, actor: int, fault: str) -> None:
            before = self._server_status()
            sync_through(self.proxy, self.clients[actor], fault)
            self._check_new_answers(actor, before)
            status = self._server_status()
            if status != self.statuses[-1]:
                self.statuses.append(status)

        def _check_new_answers(self, actor: int, before: str) -> None:
            """Plan edits the server handled in this sync met the SKP in status `before` (no
            one else pushed meanwhile, and an employee's ops never leave Disetujui)."""
            ws = self.ws[actor]
            device_id = ws.store.device_id
            with server.engine.connect() as conn:
                fresh = conn.execute(select(op_result).where(
                    op_result.c.device_id == device_id,
                    op_result.c.seq > self.checked[device_id]).order_by(op_result.c.seq)).all()
            ops = _answers(ws)
            for row in fresh:
                op, result = ops[row.seq], json.loads(row.result)
                self.checked[device_id] = row.seq
                if actor == PENILAI or op["entity_kind"] not in PLAN_KINDS:
                    continue
                held = result.get("message_id") == "kept_as_amendment"
                if before == "Disetujui":
                    assert result["status"] == "applied" and held, (
                        f"a plan edit reaching an approved SKP was not kept as an amendment:"
                        f" {op} -> {result}")
                else:
                    assert not held, f"held although the SKP was {before}: {op} -> {result}"

        # -- the end: everyone syncs cleanly, then every invariant -----------------------------
        def teardown(self) -> None:
            try:
                self.proxy.clear_faults()
                for client in self.clients:
                    client.sync_once()
                for ws in self.ws[:PENILAI]:  # the owner settles what is left, keeping theirs
                    for found in ws.conflicts():
                        ws.resolve_conflict(found.seq, "theirs")
                for _ in range(2):
                    for client in self.clients:
                        report = client.sync_once()
                        assert report.unverified == set(), report
                self._check()
            finally:
                for ws in self.ws:
                    ws.lock()
                self.proxy.stop()
                shutil.rmtree(self.folder, ignore_errors=True)

        def _check(self) -> None:
            answers = [_answers(ws) for ws in self.ws]
            self._check_answered_once(answers)
            self._check_effects(answers)
            self._check_workflow(answers)
            self._check_decisions(answers[PENILAI])
            self._check_replicas()

        def _check_answered_once(self, answers: list[dict[int, dict[str, Any]]]) -> None:
            """Every op answered, with exactly the answer the server stored for its seq."""
            for ws, ops in zip(self.ws, answers, strict=True):
                unanswered = [op for op in ops.values() if op["state"] in ("pending", "sent")]
                assert unanswered == [], "an op was never answered"
                with server.engine.connect() as conn:
                    stored = {r.seq: r for r in conn.execute(select(op_result).where(
                        op_result.c.device_id == ws.store.device_id))}
                assert sorted(stored) == sorted(ops), "the server saw other ops than were made"
                for seq, op in ops.items():
                    assert stored[seq].op_id == op["op_id"]
                    assert json.loads(stored[seq].result) == op["result"], (
                        "the device keeps another answer than the server's")
                    if op["state"] == "rejected":
                        refusal = (op["result"]["reason"], op["result"]["message_id"])
                        assert refusal in REFUSALS, f"refused for no workflow reason: {op}"

        def _server_entities(self, kind: str | None = None) -> dict[tuple[str, str], Any]:
            query = select(entity).where(entity.c.owner_id == self.person,
                                         entity.c.deleted.is_(False))
            if kind is not None:
                query = query.where(entity.c.kind == kind)
            with server.engine.connect() as conn:
                return {(r.kind, r.id): r for r in conn.execute(query)}

        def _check_effects(self, answers: list[dict[int, dict[str, Any]]]) -> None:
            """What the server holds was made by the applied ops, each exactly once."""
            mine = [op for ops in answers[:PENILAI] for op in ops.values()]
            theirs = list(answers[PENILAI].values())
            logs = self._server_entities("log_harian")
            created = {op["entity_id"] for op in mine
                       if op["kind"] == "create" and op["entity_kind"] == "log_harian"}
            assert all(op["state"] == "acked" for op in mine if op["entity_id"] in created)
            assert {i for _, i in logs} == created and len(created) == self.logs_added, (
                "a log harian was lost, invented or applied twice")
            feedback = {i for _, i in self._server_entities("umpan_balik")}
            assert feedback == {op["entity_id"] for op in theirs if op["state"] == "acked"
                                and op["entity_kind"] == "umpan_balik"}, (
                "umpan balik lost, invented or applied twice")
            # One rating per SKP and period, the one the last applied rate op gave.
            last: dict[tuple[str, str], dict[str, Any]] = {}
            for op in sorted((op for op in theirs if op["kind"] == "rate"
                              and op["state"] == "acked"),
                             key=lambda op: op["result"]["server_seq"]):
                last[op["payload"]["skp_id"], op["payload"]["period_id"]] = op["payload"]
            ratings: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for row in self._server_entities("penilaian").values():
                data = json.loads(row.data)
                ratings.setdefault((data["skp_id"], data["period_id"]), []).append(data)
            assert sorted(ratings) == sorted(last), "a rating lost or invented"
            for key, found in ratings.items():
                assert len(found) == 1, f"{len(found)} ratings of one period: {found}"
                assert (found[0]["rating_hasil_kerja"], found[0]["rating_perilaku"]) == (
                    last[key]["rating_hasil_kerja"], last[key]["rating_perilaku"])
            # Same field on two devices: one conflict record per field named in the answer.
            with server.engine.connect() as conn:
                records = sorted((r.op_id, r.field) for r in conn.execute(
                    select(conflict).where(conflict.c.owner_id == self.person)))
            assert records == sorted((op["op_id"], name) for op in mine
                                     if op["state"] == "conflict"
                                     for name in op["result"]["params"]["fields"])
            # Edits kept as an amendment: each held once, in a Draft amendment of this SKP.
            held = sorted(op["op_id"] for op in mine if op["state"] == "acked"
                          and op["result"].get("message_id") == "kept_as_amendment")
            amendments = self._server_entities("amandemen").values()
            kept = sorted(c["op_id"] for a in amendments for c in json.loads(a.data)["perubahan"])
            assert kept == held, "an edit after approval was lost or held twice"
            assert all(json.loads(a.data)["status"] == "Draft" for a in amendments)

        def _check_workflow(self, answers: list[dict[int, dict[str, Any]]]) -> None:
            """The applied workflow ops, in server order, are legal moves from Draft that end
            in the server's status; ratings came while approved; what was seen fits."""
            moves = sorted((op["result"]["server_seq"], op["kind"]) for ops in answers
                            for op in ops.values() if op["state"] == "acked"
                            and op["kind"] in WORKFLOW and op["entity_kind"] == "skp")
            rated = sorted(op["result"]["server_seq"] for op in answers[PENILAI].values()
                           if op["state"] == "acked" and op["kind"] == "rate")
            status, path = "Draft", ["Draft"]
            for server_seq, kind in moves:
                assert (status, kind) in LEGAL, f"illegal {kind} from {status}: {moves}"
                while rated and rated[0] < server_seq:
                    assert status == "Disetujui", "a rating applied to an SKP not approved"
                    rated.pop(0)
                status = LEGAL[status, kind]
                path.append(status)
            assert not rated or status == "Disetujui"
            assert status == self._server_status()
            seen = iter(path)
            assert all(s in seen for s in self.statuses), (self.statuses, path)

        def _check_decisions(self, ops: dict[int, dict[str, Any]]) -> None:
            """Every decision is still shown with the server's answer; applied ones named the
            version they decided on, stale ones were refused as stale."""
            shown = self.ws[PENILAI].team_decisions()
            assert len(shown) == self.decisions_made == len(ops), "a decision went missing"
            for d in shown:
                assert d["state"] in ("acked", "rejected"), d
            for op in ops.values():
                result = op["result"]
                if op["kind"] in ("approve", "return") and op["state"] == "acked":
                    assert result["version"] == op["base_version"] + 1, (
                        "a decision applied to a version it did not see")
                if result.get("reason") == "E_STALE_DECISION":
                    params = result["params"]
                    assert params["seen"] == op["base_version"] != params["current"]

        def _check_replicas(self) -> None:
            """Both employee devices and the penilai's team replica hold what the server does."""
            with server.engine.connect() as conn:
                own, atasan = checksum_of(conn, [self.person]), checksum_of(conn, [self.penilai])
            assert [ws.ledger_checksum("own") for ws in self.ws[:PENILAI]] == [own, own]
            assert self.ws[PENILAI].ledger_checksum(f"team:{self.nip}") == own
            assert self.ws[PENILAI].ledger_checksum("own") == atasan
            held = self._server_entities()
            replica = {(str(r[0]), str(r[1])): (int(r[2]), json.loads(r[3]))
                       for r in self.ws[PENILAI].store.query(
                           "SELECT kind, id, version, data FROM replica_entity"
                           " WHERE partition = ?", (f"team:{self.nip}",))}
            assert replica == {key: (r.version, json.loads(r.data)) for key, r in held.items()}, (
                "the penilai's team replica differs from the server")
            for kind in ("skp", "rhk", "iki", "log_harian", "penilaian", "umpan_balik"):
                on_server = {i: json.loads(r.data) for (k, i), r in held.items() if k == kind}
                for ws in self.ws[:PENILAI]:
                    local = _local_rows(ws, kind)
                    assert sorted(local) == sorted(on_server), f"{kind} rows differ"
                    for entity_id, data in on_server.items():
                        row = local[entity_id]
                        fields = {k: v for k, v in data.items()
                                  if k in row and k not in LOCAL_ONLY}
                        assert fields == {k: row[k] for k in fields}, (
                            f"{kind} {entity_id} differs on {ws.store.device_id}")

    run_state_machine_as_test(Office, settings=settings(
        max_examples=15, stateful_step_count=25, deadline=None, database=None))
