"""SKP model, validation and workflow (domain.md §2)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from asndesk.domain.skp import (
    ALLOWED_TRANSITIONS,
    BERAKHLAK,
    Aspek,
    Iki,
    JenisJabatan,
    JenisLampiran,
    JenisRhk,
    Lampiran,
    Pendekatan,
    PerilakuKerja,
    Perspektif,
    Rhk,
    Skp,
    StatusSkp,
    can_edit,
    check_transition,
    perilaku_awal,
    skp_problems,
    validate_skp_for_submit,
    validate_target,
    validate_text,
)
from asndesk.errors import InvalidState, ValidationError

NIP = "198609262015051001"


def iki(**kw: object) -> Iki:
    base: dict[str, object] = {
        "id": "i1",
        "indikator": "Jumlah dokumen",
        "target_nilai": Decimal(2),
        "target_satuan": "Dokumen",
        "aspek": Aspek.KUANTITAS,
    }
    return Iki(**{**base, **kw})  # type: ignore[arg-type]


def rhk(**kw: object) -> Rhk:
    base: dict[str, object] = {
        "id": "r1",
        "jenis": JenisRhk.UTAMA,
        "teks": "Tersusunnya laporan",
        "iki": (iki(),),
        "rhk_atasan": "Meningkatnya kualitas layanan",
    }
    return Rhk(**{**base, **kw})  # type: ignore[arg-type]


def skp(**kw: object) -> Skp:
    base: dict[str, object] = {
        "id": "s1",
        "nip_pegawai": NIP,
        "tahun": 2026,
        "jenis_jabatan": JenisJabatan.PELAKSANA,
        "pendekatan": Pendekatan.KUANTITATIF,
        "status": StatusSkp.DRAFT,
        "rhk": (rhk(),),
        "perilaku": perilaku_awal(),
    }
    return Skp(**{**base, **kw})  # type: ignore[arg-type]


def jpt_rhk(**kw: object) -> Rhk:
    base: dict[str, object] = {
        "rhk_atasan": None,
        "perspektif": Perspektif.PENERIMA_LAYANAN,
        "iki": (iki(aspek=None),),
    }
    return rhk(**{**base, **kw})


def problems(s: Skp) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in skp_problems(s)]


def test_berakhlak_values_in_order() -> None:
    assert [(n.kode, n.nama) for n in BERAKHLAK] == [
        (1, "Berorientasi Pelayanan"),
        (2, "Akuntabel"),
        (3, "Kompeten"),
        (4, "Harmonis"),
        (5, "Loyal"),
        (6, "Adaptif"),
        (7, "Kolaboratif"),
    ]
    assert all(len(n.panduan) == 3 and all(n.panduan) for n in BERAKHLAK)
    assert BERAKHLAK[0].panduan[2] == "Melakukan perbaikan tiada henti"
    assert BERAKHLAK[4].panduan[0].startswith("Memegang teguh Pancasila, UUD 1945")
    assert perilaku_awal() == tuple(PerilakuKerja(k) for k in range(1, 8))


def test_enums() -> None:
    assert [j.is_jpt for j in JenisJabatan] == [True] * 3 + [False] * 5
    assert JenisLampiran.DUKUNGAN_SUMBER_DAYA.nama == "Dukungan Sumber Daya"
    assert JenisLampiran.SKEMA_PERTANGGUNGJAWABAN.nama == "Skema Pertanggungjawaban"
    assert JenisLampiran.KONSEKUENSI.nama == "Konsekuensi"
    assert [p.value for p in Perspektif] == [
        "Penerima Layanan",
        "Proses Bisnis",
        "Penguatan Internal",
        "Anggaran",
    ]


def test_valid_ja_and_jpt_skp_have_no_problems() -> None:
    assert skp_problems(skp()) == []
    validate_skp_for_submit(skp())
    jpt = skp(jenis_jabatan=JenisJabatan.JPT_PRATAMA, rhk=(jpt_rhk(),))
    assert skp_problems(jpt) == []
    tambahan = rhk(id="r2", jenis=JenisRhk.TAMBAHAN)
    lampiran = (Lampiran("l1", JenisLampiran.KONSEKUENSI, "Sanksi"),)
    assert skp_problems(skp(rhk=(rhk(), tambahan), lampiran=lampiran)) == []


# Each rule broken once: the SKP must report exactly that field and code.
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tahun": 1999}, ("tahun", "out_of_range")),
        ({"tahun": 2101}, ("tahun", "out_of_range")),
        ({"nip_pegawai": "1986"}, ("nip_pegawai", "bad_format")),
        ({"rhk": ()}, ("rhk", "missing_utama")),
        ({"rhk": (rhk(jenis=JenisRhk.TAMBAHAN),)}, ("rhk", "missing_utama")),
        ({"rhk": (rhk(teks="  "),)}, ("rhk[0].teks", "missing")),
        ({"rhk": (rhk(teks="a\x00b"),)}, ("rhk[0].teks", "bad_chars")),
        ({"rhk": (rhk(teks="x" * 2001),)}, ("rhk[0].teks", "too_long")),
        ({"rhk": (rhk(iki=()),)}, ("rhk[0].iki", "missing")),
        ({"rhk": (rhk(iki=(iki(aspek=None),)),)}, ("rhk[0].iki[0].aspek", "missing")),
        ({"rhk": (rhk(rhk_atasan=None),)}, ("rhk[0].rhk_atasan", "missing")),
        ({"rhk": (rhk(rhk_atasan=" "),)}, ("rhk[0].rhk_atasan", "missing")),
        (
            {"rhk": (rhk(perspektif=Perspektif.ANGGARAN),)},
            ("rhk[0].perspektif", "not_allowed"),
        ),
        ({"rhk": (rhk(iki=(iki(indikator=""),)),)}, ("rhk[0].iki[0].indikator", "missing")),
        (
            {"rhk": (rhk(iki=(iki(), iki(id="i2", target_nilai=Decimal(-1)))),)},
            ("rhk[0].iki[1].target_nilai", "negative"),
        ),
        (
            {"rhk": (rhk(iki=(iki(target_nilai=Decimal("NaN")),)),)},
            ("rhk[0].iki[0].target_nilai", "bad_number"),
        ),
        (
            {"rhk": (rhk(iki=(iki(target_satuan=""),)),)},
            ("rhk[0].iki[0].target_satuan", "missing"),
        ),
        ({"perilaku": perilaku_awal()[:6]}, ("perilaku", "bad_values")),
        (
            {"perilaku": (PerilakuKerja(2), PerilakuKerja(1), *perilaku_awal()[2:])},
            ("perilaku", "bad_values"),
        ),
        (
            {"perilaku": (*perilaku_awal()[:6], PerilakuKerja(7, "ok\x07"))},
            ("perilaku[6].ekspektasi_khusus", "bad_chars"),
        ),
        (
            {"lampiran": (Lampiran("l1", JenisLampiran.KONSEKUENSI, ""),)},
            ("lampiran[0].teks", "missing"),
        ),
    ],
)
def test_each_rule_names_the_field(changes: dict[str, object], expected: tuple[str, str]) -> None:
    s = skp(**changes)
    assert problems(s) == [expected]
    with pytest.raises(ValidationError) as info:
        validate_skp_for_submit(s)
    assert (info.value.field, info.value.code) == expected


@pytest.mark.parametrize(
    ("rhk_", "expected"),
    [
        (jpt_rhk(perspektif=None), ("rhk[0].perspektif", "missing")),
        (jpt_rhk(iki=(iki(),)), ("rhk[0].iki[0].aspek", "not_allowed")),
        (jpt_rhk(rhk_atasan="x\x00"), ("rhk[0].rhk_atasan", "bad_chars")),
    ],
)
def test_jpt_rules(rhk_: Rhk, expected: tuple[str, str]) -> None:
    s = skp(jenis_jabatan=JenisJabatan.JPT_MADYA, rhk=(rhk_,))
    assert problems(s) == [expected]


def test_all_problems_reported_at_once_in_document_order() -> None:
    bad = skp(
        tahun=1990,
        rhk=(rhk(rhk_atasan=None, iki=(iki(aspek=None, target_satuan=""),)),),
        perilaku=(),
    )
    assert problems(bad) == [
        ("tahun", "out_of_range"),
        ("rhk[0].rhk_atasan", "missing"),
        ("rhk[0].iki[0].target_satuan", "missing"),
        ("rhk[0].iki[0].aspek", "missing"),
        ("perilaku", "bad_values"),
    ]


def test_blank_ekspektasi_khusus_means_none() -> None:
    perilaku = (PerilakuKerja(1, "  "), *perilaku_awal()[1:])
    assert skp_problems(skp(perilaku=perilaku)) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Laporan\r\nbulanan\t ", "Laporan\nbulanan"),
        ("Satu baris", "Satu baris"),
        ("x" * 10, "x" * 10),
    ],
)
def test_validate_text_ok(value: str, expected: str) -> None:
    assert validate_text("teks", value, 10 if len(value) == 10 else 100) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "missing"),
        ("", "missing"),
        (" \n\t ", "missing"),
        ("a\x00b", "bad_chars"),
        ("a\x1bb", "bad_chars"),
        ("a\x7fb", "bad_chars"),
        ("x" * 11, "too_long"),
    ],
)
def test_validate_text_errors(value: str | None, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_text("rhk[0].teks", value, 10)
    assert (info.value.field, info.value.code) == ("rhk[0].teks", code)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2", "2"),
        ("2,5", "2.5"),
        ("2.5", "2.5"),
        (" 100 ", "100"),
        ("0", "0"),
        ("0.125", "0.125"),
        ("0,125", "0.125"),
        ("12.345,25", "12345.25"),
        ("1.234.567", "1234567"),
        ("1.234,5", "1234.5"),
        ("1000", "1000"),
        (3, "3"),
        (Decimal("12.50"), "12.50"),
        (0.1, "0.1"),
    ],
)
def test_validate_target_ok(value: str | int | Decimal | float, expected: str) -> None:
    assert validate_target("target", value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "missing"),
        ("-1", "negative"),
        ("-0,5", "negative"),
        ("dua", "bad_number"),
        ("2,5,1", "bad_number"),
        ("0.125.000", "bad_number"),
        ("1.23.456", "bad_number"),
        ("1e3", "bad_number"),
        ("NaN", "bad_number"),
        ("+2", "bad_number"),
        ("1.000", "ambiguous"),
        (Decimal("Infinity"), "bad_number"),
        (float("inf"), "bad_number"),
        (True, "bad_number"),
        (-3, "negative"),
        ("1000000000000", "too_large"),
    ],
)
def test_validate_target_errors(value: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_target("rhk[0].iki[1].target_nilai", value)  # type: ignore[arg-type]
    assert (info.value.field, info.value.code) == ("rhk[0].iki[1].target_nilai", code)


def test_can_edit() -> None:
    assert [can_edit(s) for s in StatusSkp] == [True, False, False, True]


D, A, S, K = StatusSkp.DRAFT, StatusSkp.DIAJUKAN, StatusSkp.DISETUJUI, StatusSkp.DIKEMBALIKAN
ALLOWED = {(D, A), (K, A), (K, D), (A, D), (A, S), (A, K)}


@pytest.mark.parametrize("dari", list(StatusSkp))
@pytest.mark.parametrize("ke", list(StatusSkp))
def test_transitions(dari: StatusSkp, ke: StatusSkp) -> None:
    assert (ke in ALLOWED_TRANSITIONS[dari]) == ((dari, ke) in ALLOWED)
    if (dari, ke) in ALLOWED:
        check_transition(dari, ke)
    else:
        with pytest.raises(InvalidState) as info:
            check_transition(dari, ke)
        assert info.value.params == {"status": dari.value}


def test_approved_skp_cannot_move() -> None:
    assert ALLOWED_TRANSITIONS[S] == frozenset()
    with pytest.raises(ValidationError):
        check_transition("Selesai", D)


def test_models_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        skp().tahun = 2027  # type: ignore[misc]
