"""`Workspace.unit_distribution`: an HR unit's predikat counts from the synced ratings, the
period chosen, members without a rating, and the warnings `distribution_warnings` gives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asndesk.domain.ratings import Predikat, distribution_warnings
from asndesk.errors import NotFound
from asndesk.store import reference_pull, team_repo
from asndesk.workspace import Workspace

UNIT = "KEC-01"
A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


def members(n: int) -> list[dict[str, Any]]:
    return [{"nip": f"1990010120200110{i:02d}", "nama": f"Pegawai {i:02d}", "jabatan": "Staf"}
            for i in range(n)]


def seed_unit(ws: Workspace, people: list[dict[str, Any]],
              ratings: list[tuple[int, str, str, str, str]], capaian: dict[str, str]) -> None:
    """/me naming the profile HR officer of UNIT with `people`; ratings (member index,
    period, hasil, perilaku, when) as the unit partition's pull writes them; the unit's
    capaian as the `ref` pull writes it."""
    ws.record_roles({"nip": ws.owner_nip, "unit_id": UNIT, "subordinates": [],
                     "hr_units": [{"id": UNIT, "nama": "Kecamatan Sukamaju",
                                   "members": people}]})
    with ws.store.write(ws.owner_nip) as tx:
        for n, (who, period, hasil, perilaku, when) in enumerate(ratings):
            team_repo.apply_replica(tx, f"unit:{UNIT}", {
                "entity_kind": "penilaian", "entity_id": f"nilai-{n}", "version": 1,
                "owner_nip": people[who]["nip"], "updated_at": when,
                "data": {"skp_id": f"skp-{who}", "period_id": period,
                         "rating_hasil_kerja": hasil, "rating_perilaku": perilaku,
                         "predikat": "typed text is never trusted", "dinilai_pada": when}})
        reference_pull.apply(tx, "org_unit", UNIT, 1, {"nama": "Kecamatan Sukamaju",
                                                        "capaian": capaian})


def test_counts_follow_the_ratings_and_the_warnings_are_the_domains(workspace: Workspace
                                                                     ) -> None:
    people = members(5)
    seed_unit(workspace, people, [
        (0, "2026-TH", A, A, "2027-01-05T08:00:00Z"),   # Sangat Baik
        (1, "2026-TH", A, S, "2027-01-05T08:00:00Z"),   # Baik
        (2, "2026-TH", S, S, "2027-01-05T08:00:00Z"),   # Baik
        (3, "2026-TH", B, B, "2027-01-05T08:00:00Z"),   # Sangat Kurang …
        (3, "2026-TH", S, A, "2027-01-06T08:00:00Z"),   # … re-rated later: Baik
        (0, "2026-TW1", B, S, "2026-04-03T08:00:00Z"),  # another period
        (1, "2025-TH", B, B, "2026-01-05T08:00:00Z"),   # another year
    ], {"2026": "Baik"})
    found = workspace.unit_distribution(UNIT, 2026)
    assert (found["period_id"], found["periods"]) == ("2026-TH", ["2026-TW1", "2026-TH"])
    counts = {Predikat(k): v for k, v in found["counts"].items()}
    assert counts == {Predikat.SANGAT_BAIK: 1, Predikat.BAIK: 3, Predikat.BUTUH_PERBAIKAN: 0,
                      Predikat.KURANG: 0, Predikat.SANGAT_KURANG: 0}
    assert (found["total"], found["unrated"], found["capaian"]) == (4, 1, "Baik")
    assert found["warnings"] == distribution_warnings("Baik", counts)
    assert [w.code for w in found["warnings"]] == ["baik_above_max",
                                                   "butuh_perbaikan_or_kurang_missing"]
    by_nip = {m["nip"]: m["predikat"] for m in found["members"]}
    assert by_nip[people[4]["nip"]] is None and by_nip[people[3]["nip"]] == "Baik"

    quarter = workspace.unit_distribution(UNIT, 2026, "2026-TW1")
    assert (quarter["period_id"], quarter["total"]) == ("2026-TW1", 1)
    assert quarter["counts"]["Butuh Perbaikan"] == 1 and quarter["warnings"] == []
    other = workspace.unit_distribution(UNIT, 2026, capaian="Istimewa")  # just set on the server
    assert other["capaian"] == "Istimewa" and other["warnings"] == []
    assert workspace.unit_distribution(UNIT, 2025)["capaian"] is None


def test_no_ratings_no_capaian_and_a_unit_not_managed(workspace: Workspace) -> None:
    seed_unit(workspace, members(2), [], {})
    found = workspace.unit_distribution(UNIT, 2026)
    assert (found["period_id"], found["total"], found["unrated"]) == (None, 0, 2)
    assert (found["capaian"], found["warnings"]) == (None, [])
    with pytest.raises(NotFound):
        workspace.unit_distribution("KEC-99", 2026)
    assert json.loads(json.dumps(found["counts"])) == found["counts"]


def test_an_admin_may_set_any_units_capaian_but_holds_only_its_hr_units_records(
        workspace: Workspace) -> None:
    seed_unit(workspace, members(2), [], {"2026": "Baik"})
    me = workspace.roles() or {}
    workspace.record_roles({**me, "is_admin": True})
    with workspace.store.write(workspace.owner_nip) as tx:
        reference_pull.apply(tx, "org_unit", "KEC-02", 1, {"nama": "Kecamatan Dua",
                                                            "capaian": {"2026": "Kurang"}})
        reference_pull.apply(tx, "org_unit", "KEL-021", 1, {"nama": "Kelurahan Satu",
                                                             "induk_id": "KEC-99"})
    units = workspace.capaian_units()
    # The HR unit first (its records are here), then the others by name; the stand-in for a
    # parent not yet received ("KEC-99") is no unit to choose.
    assert [(u["id"], u["records"]) for u in units] == [
        (UNIT, True), ("KEC-02", False), ("KEL-021", False)]
    other = workspace.unit_distribution("KEC-02", 2026)
    assert (other["records"], other["members"], other["capaian"]) == (False, [], "Kurang")
    assert workspace.unit_distribution(UNIT, 2026)["records"] is True

    workspace.record_roles({**me, "is_admin": False})  # an HR officer only: its own units
    assert [u["id"] for u in workspace.capaian_units()] == [UNIT]
    with pytest.raises(NotFound):
        workspace.unit_distribution("KEC-02", 2026)
