"""Recording SKM forms (validated, queued for sync) and the IKM summary of a service unit,
which must agree with `hitung_ikm` and the Krejcie–Morgan sample size."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest

from asndesk.domain.ikm import SkmResponse, hitung_ikm, ukuran_sampel_krejcie_morgan
from asndesk.errors import NotFound, ValidationError
from asndesk.skm_usecases import POPULASI_DIISI, POPULASI_LAYANAN
from asndesk.workspace import Workspace

UNIT = "Loket Dukcapil Kecamatan Sukamaju"
HARI = date(2026, 11, 20)


def _form(digits: str) -> dict[str, int | None]:
    return {f"U{i}": (None if d == "-" else int(d)) for i, d in enumerate(digits, start=1)}


def _add(ws: Workspace, digits: str, tanggal: str = "2026-11-10", unit: str = UNIT) -> str:
    return ws.add_skm_response(unit, tanggal, _form(digits), hari_ini=HARI).primary_id or ""


def test_a_form_is_stored_and_queued_as_one_create_op(workspace: Workspace) -> None:
    workspace.add_service_type("KTP", "Perekaman KTP-el", 3)
    ktp = workspace.service_types()[0]["id"]
    changes = workspace.add_skm_response(UNIT, "10/11/2026", _form("342334443"),
                                         service_type_id=ktp, saran="  Antrean lebih cepat ",
                                         hari_ini=HARI)
    stored = workspace.skm_response(changes.primary_id or "")
    assert [stored[f"u{i}"] for i in range(1, 10)] == [3, 4, 2, 3, 3, 4, 4, 4, 3]
    assert (stored["tanggal"], stored["saran"]) == ("2026-11-10", "Antrean lebih cepat")
    ops = [op for op in workspace.outbox() if op.entity_kind == "skm_response"]
    assert [(op.kind, op.entity_id) for op in ops] == [("create", changes.primary_id)]
    assert ops[0].payload["u2"] == 4 and ops[0].payload["service_type_id"] == ktp
    assert "created_at" not in ops[0].payload  # only fields the server allows travel
    assert changes.touched("skm_response")


@pytest.mark.parametrize(("unit", "tanggal", "jawaban", "field"), [
    ("  ", "2026-11-10", _form("333333333"), "unit_layanan"),
    (UNIT, "31/02/2026", _form("333333333"), "tanggal"),
    (UNIT, "2026-11-21", _form("333333333"), "tanggal"),  # after "today"
    (UNIT, "2026-11-10", _form("335333333"), "u3"),
    (UNIT, "2026-11-10", {"U7": "x"}, "u7"),
    (UNIT, "2026-11-10", {"U1": 0}, "u1"),
    (UNIT, "2026-11-10", _form("---------"), "u1"),  # an empty form
    (UNIT, "2026-11-10", {"U10": 3}, "jawaban"),
])
def test_bad_forms_are_refused_naming_the_field(workspace: Workspace, unit: str, tanggal: str,
                                                jawaban: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        workspace.add_skm_response(unit, tanggal, jawaban, hari_ini=HARI)
    assert err.value.field == field
    assert workspace.skm_responses(UNIT, "2026-01-01", "2026-12-31") == []
    assert not [op for op in workspace.outbox() if op.entity_kind == "skm_response"]


def test_an_unknown_service_type_is_refused(workspace: Workspace) -> None:
    with pytest.raises(ValidationError) as err:
        workspace.add_skm_response(UNIT, "2026-11-10", _form("333333333"),
                                   service_type_id="tidak-ada", hari_ini=HARI)
    assert err.value.field == "service_type_id"


def test_answers_may_be_digits_as_typed_and_elements_may_be_blank(workspace: Workspace
                                                                  ) -> None:
    rid = workspace.add_skm_response(UNIT, "2026-11-10", {"u1": "4", "u2": " 2 ", "u9": ""},
                                     hari_ini=HARI).primary_id or ""
    stored = workspace.skm_response(rid)
    assert (stored["u1"], stored["u2"], stored["u3"], stored["u9"]) == (4, 2, None, None)


def test_summary_agrees_with_the_domain_function(workspace: Workspace) -> None:
    forms = ["342334443", "444444444", "3333-3333", "212321232", "433443344"]
    for digits in forms:
        _add(workspace, digits)
    _add(workspace, "111111111", tanggal="2026-10-31")  # outside the period
    _add(workspace, "111111111", unit="Loket Lain")  # another unit
    summary = workspace.ikm_summary(UNIT, "2026-11-01", "2026-11-30", populasi=100)
    expected = hitung_ikm(SkmResponse(_form(d)) for d in forms)
    assert summary.hasil == expected
    assert summary.jumlah_form == 5 and summary.masalah is None
    assert summary.nrr == dict(expected.nrr)
    assert (summary.populasi, summary.populasi_sumber) == (100, POPULASI_DIISI)
    assert summary.sampel_minimal == ukuran_sampel_krejcie_morgan(100) == 80
    assert summary.kekurangan_sampel == 75
    assert workspace.skm_unit_names() == ["Loket Dukcapil Kecamatan Sukamaju", "Loket Lain"]


def test_population_defaults_to_services_completed_in_the_period(workspace: Workspace
                                                                 ) -> None:
    workspace.add_service_type("KTP", "Perekaman KTP-el", 3)
    for day in (2, 3, 4):
        workspace.add_service_log("KTP", f"2026-11-0{day} 09:00",
                                  selesai=f"2026-11-0{day} 11:00")
    workspace.add_service_log("KTP", "2026-11-05 09:00", status="diproses")  # not completed
    _add(workspace, "333333333")
    summary = workspace.ikm_summary(UNIT, "2026-11-01", "2026-11-30")
    assert (summary.populasi, summary.populasi_sumber) == (3, POPULASI_LAYANAN)
    assert summary.sampel_minimal == ukuran_sampel_krejcie_morgan(3)
    assert summary.kekurangan_sampel == max(0, ukuran_sampel_krejcie_morgan(3) - 1)


def test_summary_without_forms_or_population_says_why(workspace: Workspace) -> None:
    summary = workspace.ikm_summary(UNIT, "2026-11-01", "2026-11-30")
    assert summary.hasil is None and summary.masalah is not None
    assert summary.masalah.field == "responses"
    assert (summary.populasi, summary.populasi_sumber, summary.sampel_minimal) == (
        None, None, None)
    _add(workspace, "33333333-")  # nobody answered U9
    _add(workspace, "24333333-")
    partial = workspace.ikm_summary(UNIT, "2026-11-01", "2026-11-30")
    assert partial.hasil is None and partial.masalah is not None
    assert partial.masalah.field == "answers[U9]"
    # The answered elements still have their NRR; U9 has none.
    assert partial.nrr["U1"] == Fraction(5, 2) and partial.nrr["U2"] == Fraction(7, 2)
    assert partial.nrr["U9"] is None and partial.jumlah_menjawab["U9"] == 0


@pytest.mark.parametrize(("args", "field"), [
    ({"populasi": "0"}, "populasi"), ({"populasi": "seratus"}, "populasi"),
    ({"sampai": "2026-10-01"}, "sampai"), ({"unit_layanan": ""}, "unit_layanan"),
])
def test_summary_arguments_are_checked(workspace: Workspace, args: dict[str, str],
                                       field: str) -> None:
    call: dict[str, object] = {"unit_layanan": UNIT, "dari": "2026-11-01",
                               "sampai": "2026-11-30", **args}
    with pytest.raises(ValidationError) as err:
        workspace.ikm_summary(**call)  # type: ignore[arg-type]
    assert err.value.field == field


def test_a_mistyped_form_is_replaced_and_a_form_can_be_deleted(workspace: Workspace) -> None:
    wrong = _add(workspace, "333333333")
    fixed = workspace.correct_skm_response(wrong, UNIT, "2026-11-10", _form("333333334"),
                                           hari_ini=HARI).primary_id or ""
    with pytest.raises(NotFound):
        workspace.skm_response(wrong)
    assert workspace.skm_response(fixed)["u9"] == 4
    ops = [(op.kind, op.entity_id) for op in workspace.outbox()
           if op.entity_kind == "skm_response"]
    assert ops == [("create", wrong), ("delete", wrong), ("create", fixed)]
    workspace.delete_skm_response(fixed)
    assert workspace.skm_responses(UNIT, "2026-11-01", "2026-11-30") == []


def test_unit_members_forms_from_sync_count_once(workspace: Workspace) -> None:
    own = _add(workspace, "444444444")
    other = {"id": "019a0000-0000-7000-8000-000000000001", "unit_layanan": UNIT,
             "tanggal": "2026-11-12", "service_type_id": None, "saran": None,
             **{f"u{i}": 2 for i in range(1, 10)}}
    with workspace.store.write("test") as tx:
        for partition, rid, data in (("unit:u1", other["id"], other),
                                     ("unit:u1", own, {**other, "id": own})):
            tx.execute("INSERT INTO replica_entity (partition, kind, id, owner_nip, version,"
                       " data, received_at) VALUES (?, 'skm_response', ?, '199001012020122002',"
                       " 1, ?, ?)", (partition, rid, json.dumps(data), tx.now_utc))
    found = workspace.skm_responses(UNIT, "2026-11-01", "2026-11-30")
    assert [(r["id"], r["milik_sendiri"]) for r in found] == [(own, 1), (other["id"], 0)]
    summary = workspace.ikm_summary(UNIT, "2026-11-01", "2026-11-30")
    assert summary.hasil is not None and summary.hasil.ikm_nilai == 3
    with pytest.raises(NotFound):  # another person's form is not this device's to delete
        workspace.delete_skm_response(str(other["id"]))
