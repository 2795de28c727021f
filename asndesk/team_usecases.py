"""The supervisor's use cases: the team, one subordinate's SKP, and decisions on it.

Reads come from the replica tables (what the last sync brought). A decision is queued as an
outbox op naming the SKP version the supervisor saw; the server is the authority and refuses
a stale one (`E_STALE_DECISION`), which then stays visible with its reason.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from asndesk.domain.ratings import predikat_kinerja
from asndesk.domain.skp import (
    Aspek,
    Iki,
    JenisJabatan,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Pendekatan,
    Perspektif,
    Rhk,
    Skp,
    StatusSkp,
    check_transition,
    perilaku_awal,
    validate_text,
)
from asndesk.errors import InvalidState, NotFound, UserFacingError, ValidationError
from asndesk.i18n import N_
from asndesk.store import outbox, rows, team_repo
from asndesk.store.database import Changes, WriteTx
from asndesk.store.ids import uuid7
from asndesk.store.rows import StaleVersion

if TYPE_CHECKING:
    from asndesk.store.database import Store

DECISION_KINDS = ("approve", "return", "rate")
SASARAN = ("rhk", "realisasi", "perilaku", "umum")
MAX_NOTE = 2000  # the server's limit for a return note
MAX_FEEDBACK = 4000
_PERIOD_ID = re.compile(r"^(\d{4})-(TW[1-4]|S[12]|0[1-9]|1[0-2]|TH)$")
_SKP_PARTS = ("skp", "rhk", "iki", "lampiran", "realisasi", "penilaian", "umpan_balik",
              "amandemen")
DECIDABLE = ("skp", "amandemen")  # what approve/return act on (an SKP, or an amendment to one)


class DecisionPending(UserFacingError):
    message_id = N_("A decision on this SKP is already waiting to be sent. Sync first.")


@dataclass
class TeamSkpView:
    """One subordinate's SKP as last synced, with everything a supervisor reviews."""

    person: dict[str, Any]
    skps: list[dict[str, Any]]                  # every SKP head of that person, newest first
    skp: Skp | None = None
    head: dict[str, Any] = field(default_factory=dict)
    realisasi: list[dict[str, Any]] = field(default_factory=list)
    penilaian: list[dict[str, Any]] = field(default_factory=list)
    umpan_balik: list[dict[str, Any]] = field(default_factory=list)
    amandemen: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    log_count: int = 0


class TeamUseCases:
    store: Store
    owner_nip: str

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    # -- roles: the server's /me answer ----------------------------------------------------
    def record_roles(self, me: dict[str, Any], fetched_at: float | None = None) -> list[str]:
        """Keep the server's answer (encrypted, in the store) and drop partitions no longer
        readable; returns the dropped partitions."""
        with self._write() as tx:
            self.store.set_meta("team.me", json.dumps(me, ensure_ascii=False, sort_keys=True))
            self.store.set_meta("team.me_at", str(time.time() if fetched_at is None
                                                  else fetched_at))
            team_repo.replace_people(tx, me)
            dropped = team_repo.prune(tx, set(_partitions_of(me)))
            if dropped:
                tx.audit("team.partitions_dropped")
        return dropped

    def roles(self) -> dict[str, Any] | None:
        stored = self.store.meta("team.me")
        return None if stored is None else dict(json.loads(stored))

    def roles_age(self, now: float | None = None) -> float | None:
        """Seconds since /me was last fetched (None: never)."""
        stored = self.store.meta("team.me_at")
        return None if stored is None else (time.time() if now is None else now) - float(stored)

    def role_partitions(self) -> list[str]:
        """`team:<NIP>` per current subordinate and `unit:<id>` per HR unit (stored /me)."""
        me = self.roles()
        return _partitions_of(me) if me else []

    # -- reads -----------------------------------------------------------------------------
    def team(self, tahun: int | None = None, today: date | None = None
             ) -> list[dict[str, Any]]:
        """Each current subordinate with their SKP of `tahun`, how much they recorded (that
        year, and `log_week`: log harian of the week, Monday to Sunday, holding `today`)."""
        today = today or date.today()
        tahun = tahun or today.year
        monday = today - timedelta(days=today.weekday())
        week = (monday.isoformat(), (monday + timedelta(days=6)).isoformat())
        pending = self._pending_decisions()
        out = []
        for person in team_repo.people(self.store.conn, "team"):
            partition = f"team:{person['nip']}"
            summary = summary_of(self.store.conn, partition, person["nip"], tahun)
            skp = summary["skp"]
            out.append({**person, **summary,
                        "log_week": team_repo.log_count_between(self.store.conn, partition,
                                                                person["nip"], *week),
                        "pending_decisions": len(pending.get(skp["id"], [])) if skp else 0})
        return out

    def team_ratings(self, tahun: int, period_id: str) -> list[dict[str, Any]]:
        """Per subordinate, the rating of `period_id` on their SKP of `tahun`: the server's
        (`rating`), this device's latest rating op (`queued`, with its state and refusal),
        and `current`, the one that counts here (a queued or accepted op over an older
        server record; a refused op never counts)."""
        out = []
        for person in team_repo.people(self.store.conn, "team"):
            partition = f"team:{person['nip']}"
            head = latest_skp(team_repo.records(self.store.conn, partition, ("skp",),
                                                person["nip"]), tahun)
            entry: dict[str, Any] = {**person, "skp": None, "rating": None, "queued": None,
                                     "current": None}
            out.append(entry)
            if head is None:
                continue
            entry["skp"] = {k: head.get(k) for k in ("id", "tahun", "status", "version",
                                                     "jenis_jabatan")}
            entry["rating"] = next(
                (r for r in team_repo.records(self.store.conn, partition, ("penilaian",))
                 if r.get("skp_id") == head["id"] and r.get("period_id") == period_id), None)
            entry["queued"] = next(
                (d for d in reversed(self.team_decisions(head["id"]))
                 if d["kind"] == "rate" and d["payload"].get("period_id") == period_id), None)
            entry["current"] = _current_rating(entry["rating"], entry["queued"])
        return out

    def team_member(self, nip: str, tahun: int | None = None, skp_id: str | None = None
                    ) -> TeamSkpView:
        """One subordinate's SKP (`skp_id`, else the latest of `tahun`, else the latest)."""
        person = next((p for p in team_repo.people(self.store.conn, "team")
                       if p["nip"] == nip), None)
        if person is None:
            raise NotFound(kind=N_("subordinate"), id=nip)
        partition = f"team:{nip}"
        records = team_repo.records(self.store.conn, partition, _SKP_PARTS, nip)
        heads = sorted((r for r in records if r["kind"] == "skp"),
                       key=lambda r: (r.get("tahun") or 0, r["changed_at"] or "",
                                      r["received_at"]), reverse=True)
        view = TeamSkpView(person=person, skps=heads)
        view.log_count = len(team_repo.records(self.store.conn, partition, ("log_harian",), nip))
        chosen = next((h for h in heads if h["id"] == skp_id), None) if skp_id else next(
            (h for h in heads if tahun is None or h.get("tahun") == tahun), None)
        if skp_id and chosen is None:
            raise NotFound(kind=N_("SKP"), id=skp_id)
        if chosen is None:
            return view
        view.head = chosen
        view.skp = build_skp(chosen, records)
        iki_ids = {i.id for r in view.skp.rhk for i in r.iki}
        view.realisasi = sorted((r for r in records if r["kind"] == "realisasi"
                                 and r.get("iki_id") in iki_ids),
                                key=lambda r: (r.get("period_id") or "", r["id"]))
        for kind in ("penilaian", "umpan_balik", "amandemen"):
            setattr(view, kind, sorted(
                (r for r in records if r["kind"] == kind and r.get("skp_id") == chosen["id"]),
                key=lambda r: (r.get("period_id") or "", r.get("dibuat_pada") or "", r["id"])))
        targets = {chosen["id"], *(a["id"] for a in view.amandemen)}
        view.decisions = [d for d in self.team_decisions() if d["target"] in targets]
        return view

    def team_decisions(self, skp_id: str | None = None) -> list[dict[str, Any]]:
        """This device's decisions and feedback, with the server's answer once it came.

        `target` is what was decided on: the SKP or amendment id (approve, return), else the
        SKP the rating or feedback is about; `skp_id` filters on it."""
        found = []
        for r in outbox.decision_rows(self.store.conn):
            payload = json.loads(r[5])
            target = r[3] if r[2] in DECIDABLE else payload.get("skp_id")
            if skp_id is not None and target != skp_id:
                continue
            result = json.loads(r[7]) if r[7] else {}
            found.append({"seq": r[0], "kind": r[1], "entity_kind": r[2], "target": target,
                          "base_version": r[4], "payload": payload, "state": r[6],
                          "reason": result.get("reason"), "message_id": result.get("message_id"),
                          "params": result.get("params", {}), "created_at": r[8]})
        return found

    # -- decisions -------------------------------------------------------------------------
    def approve_skp(self, target_id: str) -> Changes:
        """Approve a submitted SKP, or a submitted amendment, at the version last synced."""
        head = self._team_record(target_id, DECIDABLE)
        _check_decidable(head, StatusSkp.DISETUJUI)
        return self._decide("approve", head, {})

    def return_skp(self, target_id: str, catatan: str) -> Changes:
        """Return a submitted SKP (or amendment); the note says what to change (required)."""
        note = validate_text("catatan", catatan, MAX_NOTE)
        head = self._team_record(target_id, DECIDABLE)
        _check_decidable(head, StatusSkp.DIKEMBALIKAN)
        return self._decide("return", head, {"catatan": note})

    def rate_skp(self, skp_id: str, period_id: str, rating_hasil_kerja: str,
                 rating_perilaku: str) -> Changes:
        """Rate a period of an approved SKP; the predikat shown is computed here, but the
        server computes (and keeps) its own."""
        predikat_kinerja(rating_hasil_kerja, rating_perilaku)  # both valid, else field named
        head = self._team_record(skp_id)
        match = _PERIOD_ID.match(period_id or "")
        if not match or int(match[1]) != head.get("tahun"):
            raise ValidationError("period_id", "bad_period",
                                  N_("{value} is not a period of this SKP's year."),
                                  value=period_id)
        if head["status"] != StatusSkp.DISETUJUI:
            raise InvalidState(status=head["status"])  # only an approved SKP is rated
        # One rating per SKP and period: rating again updates the same record.
        earlier = next((r for r in team_repo.records(self.store.conn, head["partition"],
                                                     ("penilaian",))
                        if r.get("skp_id") == skp_id and r.get("period_id") == period_id), None)
        payload = {"skp_id": skp_id, "period_id": period_id,
                   "rating_hasil_kerja": rating_hasil_kerja, "rating_perilaku": rating_perilaku}
        return self._decide("rate", head, payload,
                            entity=("penilaian", earlier["id"] if earlier else uuid7()))

    def give_feedback(self, skp_id: str, teks: str, *, sasaran_jenis: str = "umum",
                      sasaran_id: str | None = None, period_id: str | None = None) -> Changes:
        """Umpan balik on an SKP, one of its RHK or realisasi, or a behaviour (append-only)."""
        text = validate_text("teks", teks, MAX_FEEDBACK)
        head = self._team_record(skp_id)
        if sasaran_jenis not in SASARAN:
            raise ValidationError("sasaran_jenis", "bad_choice",
                                  N_("{value} is not a valid choice here."), value=sasaran_jenis)
        if sasaran_jenis in ("rhk", "realisasi"):
            parts = team_repo.records(self.store.conn, head["partition"],
                                      ("rhk", "iki", "realisasi"))
            if sasaran_id not in _targets(parts, skp_id, sasaran_jenis):
                raise NotFound(kind=rows.LABELS[sasaran_jenis], id=str(sasaran_id))
        elif sasaran_jenis == "perilaku" and sasaran_id not in {None, *map(str, range(1, 8))}:
            raise ValidationError("sasaran_id", "bad_choice",
                                  N_("{value} is not a valid choice here."), value=sasaran_id)
        if period_id is not None and not _PERIOD_ID.match(period_id):
            raise ValidationError("period_id", "bad_period",
                                  N_("{value} is not a period of this SKP's year."),
                                  value=period_id)
        payload: dict[str, Any] = {"skp_id": skp_id, "sasaran_jenis": sasaran_jenis,
                                   "teks": text}
        if sasaran_id is not None:
            payload["sasaran_id"] = sasaran_id
        if period_id is not None:
            payload["period_id"] = period_id
        feedback_id = uuid7()
        with self._write() as tx:
            tx.op("create", "umpan_balik", feedback_id, payload)
        tx.changes.primary_id = feedback_id
        return tx.changes

    # -- shared ----------------------------------------------------------------------------
    def _team_record(self, record_id: str, kinds: tuple[str, ...] = ("skp",)
                     ) -> dict[str, Any]:
        """A subordinate's SKP (or amendment) as last synced — never the owner's own, nor
        one seen only as HR."""
        for partition in self.role_partitions():
            if not partition.startswith("team:"):
                continue
            found = [r for r in team_repo.records(self.store.conn, partition, kinds)
                     if r["id"] == record_id]
            if found:
                return {**found[0], "partition": partition}
        raise NotFound(kind=N_("SKP"), id=record_id)

    def _pending_decisions(self) -> dict[str, list[dict[str, Any]]]:
        pending: dict[str, list[dict[str, Any]]] = {}
        for d in self.team_decisions():
            if d["state"] in ("pending", "sent") and d["kind"] in DECISION_KINDS:
                pending.setdefault(d["target"], []).append(d)
        return pending

    def _decide(self, kind: str, head: dict[str, Any], payload: dict[str, Any],
                entity: tuple[str, str] | None = None) -> Changes:
        if any(d["kind"] in ("approve", "return")
               for d in self._pending_decisions().get(head["id"], [])):
            # The first decision moves the SKP's version: a second one would be stale.
            raise DecisionPending()
        entity_kind, entity_id = entity or (head["kind"], head["id"])
        with self._write() as tx:
            now = team_repo.version_of(tx.conn, head["partition"], head["kind"], head["id"])
            if now is None or now != head["version"]:
                raise StaleVersion()  # a sync landed between reading and deciding
            tx.op(kind, entity_kind, entity_id, payload, base_version=int(head["version"]))
        tx.changes.primary_id = entity_id
        return tx.changes


def _current_rating(rating: dict[str, Any] | None, queued: dict[str, Any] | None
                    ) -> dict[str, Any] | None:
    """The two ratings and predikat that count on this device, and where they come from.
    An accepted op counts until the server's record arrives (the same sync pulls it)."""
    if queued is not None and (queued["state"] in ("pending", "sent")
                               or (queued["state"] == "acked" and rating is None)):
        hasil = queued["payload"]["rating_hasil_kerja"]
        perilaku = queued["payload"]["rating_perilaku"]
        return {"rating_hasil_kerja": hasil, "rating_perilaku": perilaku,
                "predikat": str(predikat_kinerja(hasil, perilaku)), "source": "queued"}
    if rating is not None:
        return {"rating_hasil_kerja": rating.get("rating_hasil_kerja"),
                "rating_perilaku": rating.get("rating_perilaku"),
                "predikat": rating.get("predikat"), "source": "server"}
    return None


def _check_decidable(head: dict[str, Any], to: StatusSkp) -> None:
    """An SKP follows its state machine; an amendment is decided only while submitted."""
    if head["kind"] == "skp":
        check_transition(head["status"], to)
    elif head["status"] != StatusSkp.DIAJUKAN:
        raise InvalidState(status=head["status"])


def _targets(parts: list[dict[str, Any]], skp_id: str, jenis: str) -> set[str]:
    """Ids of the SKP's RHK, or of the realisasi of its IKI, that feedback may point at."""
    if jenis == "rhk":
        return {r["id"] for r in parts if r["kind"] == "rhk" and r.get("skp_id") == skp_id}
    iki_ids = {r["id"] for r in parts if r["kind"] == "iki" and r.get("skp_id") == skp_id}
    return {r["id"] for r in parts if r["kind"] == "realisasi" and r.get("iki_id") in iki_ids}


def _partitions_of(me: dict[str, Any]) -> list[str]:
    return ([f"team:{s['nip']}" for s in me.get("subordinates", [])]
            + [f"unit:{u['id']}" for u in me.get("hr_units", [])])


def summary_of(conn: Any, partition: str, nip: str, tahun: int) -> dict[str, Any]:
    """The latest SKP of `tahun`, counts of that year's log harian and realisasi, last change."""
    head = latest_skp(team_repo.records(conn, partition, ("skp",), nip), tahun)
    logs, per_period, waiting = team_repo.year_counts(conn, partition, nip, tahun)
    last = team_repo.activity(conn, partition).get(nip, {}).get("last_change")
    return {"skp": None if head is None else {k: head.get(k) for k in (
                "id", "tahun", "status", "version", "catatan_pengembalian")},
            "log_harian": logs, "realisasi": sum(per_period.values()),
            "realisasi_per_period": per_period, "amendments_waiting": waiting,
            "last_change": last}


def latest_skp(skps: Iterable[dict[str, Any]], tahun: int) -> dict[str, Any] | None:
    """One person's SKP record of `tahun` that counts: the one the server changed last."""
    found = [r for r in skps if r.get("tahun") == tahun]
    return max(found, key=lambda r: (r["changed_at"] or "", r["received_at"]), default=None)


def build_skp(head: dict[str, Any], records: list[dict[str, Any]]) -> Skp:
    """The domain SKP from replica records (for the same rendering as one's own)."""
    def of(kind: str, parent: str, parent_id: str) -> list[dict[str, Any]]:
        found = [r for r in records if r["kind"] == kind and r.get(parent) == parent_id]
        return sorted(found, key=lambda r: (r.get("urutan") or 0, r["id"]))

    rhk = tuple(
        Rhk(id=r["id"], jenis=JenisRhk(r.get("jenis") or "utama"), teks=r.get("teks") or "",
            iki=tuple(Iki(id=i["id"], indikator=i.get("indikator") or "",
                          target_nilai=Decimal(str(i.get("target_nilai") or 0)),
                          target_satuan=i.get("target_satuan") or "",
                          aspek=Aspek(i["aspek"]) if i.get("aspek") else None,
                          urutan=i.get("urutan") or 0)
                      for i in of("iki", "rhk_id", r["id"])),
            rhk_atasan=r.get("rhk_atasan"),
            perspektif=Perspektif(r["perspektif"]) if r.get("perspektif") else None,
            urutan=r.get("urutan") or 0)
        for r in of("rhk", "skp_id", head["id"]))
    lampiran = tuple(Lampiran(id=r["id"], jenis=JenisLampiran(r["jenis"]), teks=r["teks"],
                              urutan=r.get("urutan") or 0)
                     for r in of("lampiran", "skp_id", head["id"]))
    return Skp(id=head["id"], nip_pegawai=head.get("pegawai_nip") or head["owner_nip"],
               tahun=int(head["tahun"]), jenis_jabatan=JenisJabatan(head["jenis_jabatan"]),
               pendekatan=Pendekatan(head["pendekatan"]), status=StatusSkp(head["status"]),
               rhk=tuple(sorted(rhk, key=lambda r: (r.jenis == JenisRhk.TAMBAHAN, r.urutan))),
               perilaku=perilaku_awal(), lampiran=lampiran, version=int(head["version"]))
