"""NIP, NI PPPK, golongan/pangkat and printed names (domain.md §6)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asndesk.domain.identity import (
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    USIA_MAKS_CPNS,
    USIA_MIN_CPNS,
    JenisPegawai,
    Nip,
    NiPppk,
    format_nama_lengkap,
    normalisasi_golongan,
    pangkat_dari_golongan,
    parse_ni_pppk,
    parse_nip,
    parse_nomor_induk,
    validate_golongan_pppk,
    validate_nip_lama,
)
from asndesk.errors import ValidationError


@pytest.mark.parametrize(
    "text",
    [
        "19860926 201505 1 001",
        "198609262015051001",
        "  19860926  201505 1\t001 ",
        "19860926\u00a0201505\u00a01\u00a0001",  # non-breaking spaces from a PDF copy
    ],
)
def test_parse_nip_valid(text: str) -> None:
    nip = parse_nip(text)
    assert nip.nip == "198609262015051001"
    assert nip.tanggal_lahir == dt.date(1986, 9, 26)
    assert nip.tmt_cpns == (2015, 5)
    assert nip.jenis_kelamin == "L"
    assert nip.nomor_urut == 1
    assert nip.grouped == "19860926 201505 1 001"
    assert str(nip) == "198609262015051001"
    assert nip.warnings == ()


def test_parse_nip_female_and_last_sequence() -> None:
    nip = parse_nip("199001312018012999")
    assert (nip.jenis_kelamin, nip.nomor_urut) == ("P", 999)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "missing"),
        ("19860926 201505 1 00", "bad_length"),
        ("1986092620150510011", "bad_length"),
        ("19860926 201505 1 0A1", "bad_chars"),
        ("19860926-201505-1-001", "bad_chars"),
        ("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "bad_chars"),  # Arabic-Indic digits are not NIP digits
        ("19860926 201513 1 001", "bad_month"),  # month 13
        ("19860926 201500 1 001", "bad_month"),
        ("19860230 201505 1 001", "bad_date"),  # 30 February
        ("19861301 201505 1 001", "bad_date"),
        ("19860926 198509 1 001", "tmt_before_birth"),
        ("19860926 198608 1 001", "tmt_before_birth"),
        ("19860926 201505 3 001", "bad_sex"),
        ("19860926 201505 0 001", "bad_sex"),
        ("19860926 201505 1 000", "bad_sequence"),
    ],
)
def test_parse_nip_invalid(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_nip(text)
    assert (info.value.field, info.value.code) == ("nip", code)


def test_parse_nip_custom_field_name() -> None:
    with pytest.raises(ValidationError) as info:
        parse_nip("123", field="nip_penilai")
    assert info.value.field == "nip_penilai"


def test_leap_day_birth_is_valid() -> None:
    assert parse_nip("19880229 201001 2 005").tanggal_lahir == dt.date(1988, 2, 29)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("19860926 200312 1 001", "age_too_low"),  # 17 at TMT
        ("19860926 200410 1 001", None),  # 18 at TMT
        ("19600101 200601 1 001", None),  # 46 at TMT
        ("19600101 200701 1 001", "age_too_high"),  # 47 at TMT
        ("19860926 198609 1 001", "age_too_low"),  # TMT in the birth month: allowed, warned
    ],
)
def test_nip_age_warnings(text: str, code: str | None) -> None:
    nip = parse_nip(text)
    assert [w.code for w in nip.warnings] == ([code] if code else [])
    for warning in nip.warnings:
        assert warning.params["limit"] in (USIA_MIN_CPNS, USIA_MAKS_CPNS)
        assert str(warning.params["age"]) in warning.message()


@given(
    st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31)),
    st.integers(18, 40),
    st.integers(1, 12),
    st.sampled_from("12"),
    st.integers(1, 999),
)
def test_nip_round_trip(lahir: dt.date, usia: int, bulan: int, sex: str, urut: int) -> None:
    plain = lahir.strftime("%Y%m%d") + f"{lahir.year + usia:04d}{bulan:02d}" + sex + f"{urut:03d}"
    nip = parse_nip(plain)
    assert parse_nip(nip.grouped) == nip
    assert nip.grouped.replace(" ", "") == plain
    assert (nip.tanggal_lahir, nip.nomor_urut) == (lahir, urut)


def test_parse_ni_pppk() -> None:
    ni = parse_ni_pppk("19900101 2022 21 1 001")
    assert ni == parse_ni_pppk("199001012022211001")
    assert ni.nomor == "199001012022211001"
    assert ni.tanggal_lahir == dt.date(1990, 1, 1)
    assert ni.tahun_pengangkatan == 2022
    assert ni.kode == "21"
    assert (ni.jenis_kelamin, ni.nomor_urut) == ("L", 1)
    assert ni.grouped == "19900101 2022 21 1 001"
    assert ni.warnings == ()


@pytest.mark.parametrize("kode", ["00", "05", "13", "21", "99"])
def test_pppk_code_is_not_a_month(kode: str) -> None:
    text = "19900101" + "2022" + kode + "2" + "015"
    assert parse_ni_pppk(text).kode == kode
    assert isinstance(parse_nomor_induk(text, "PPPK"), NiPppk)
    if kode in ("00", "13", "21", "99"):
        # The same digits are not a valid NIP: PNS rules must not be applied to PPPK.
        with pytest.raises(ValidationError):
            parse_nip(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("19900101 2022 21 1 01", "bad_length"),
        ("19900231 2022 21 1 001", "bad_date"),
        ("19900101 1989 21 1 001", "appointment_before_birth"),
        ("19900101 2022 21 3 001", "bad_sex"),
        ("19900101 2022 21 1 000", "bad_sequence"),
    ],
)
def test_parse_ni_pppk_invalid(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_ni_pppk(text)
    assert (info.value.field, info.value.code) == ("ni_pppk", code)


def test_pppk_age_warning() -> None:
    assert [w.code for w in parse_ni_pppk("19900101 2005 21 1 001").warnings] == ["age_too_low"]
    assert [w.code for w in parse_ni_pppk("19500101 2022 21 1 001").warnings] == ["age_too_high"]


def test_parse_nomor_induk_dispatch() -> None:
    assert isinstance(parse_nomor_induk("19860926 201505 1 001", JenisPegawai.PNS), Nip)
    assert isinstance(parse_nomor_induk("19860926 201505 1 001", "PPPK"), NiPppk)
    with pytest.raises(ValidationError) as info:
        parse_nomor_induk("19860926 201505 1 001", "Honorer")
    assert info.value.field == "jenis_pegawai"


def test_nip_lama() -> None:
    assert validate_nip_lama(" 150 312 345 ") == "150312345"
    for bad in ("15031234", "1503123456", "15031234x"):
        with pytest.raises(ValidationError) as info:
            validate_nip_lama(bad)
        assert info.value.field == "nip_lama"


PANGKAT = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]


@pytest.mark.parametrize(("golongan", "pangkat"), PANGKAT)
def test_pangkat_for_all_17(golongan: str, pangkat: str) -> None:
    assert pangkat_dari_golongan(golongan) == pangkat
    assert pangkat_dari_golongan(golongan.lower()) == pangkat
    assert pangkat_dari_golongan(golongan.replace("/", "-")) == pangkat


def test_golongan_order_and_spellings() -> None:
    assert list(GOLONGAN_PNS.items()) == PANGKAT
    for text in ("III/a", "iii/A", "III-a", "III a", "IIIa", "III.a", " III / a "):
        assert normalisasi_golongan(text) == "III/a"


@pytest.mark.parametrize("text", ["I/e", "II/e", "V/a", "III/f", "3/a", "", "IIII/a", "III//a"])
def test_unknown_golongan(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        pangkat_dari_golongan(text)
    assert (info.value.field, info.value.code) == ("golongan", "unknown")


def test_golongan_pppk() -> None:
    assert len(GOLONGAN_PPPK) == 17
    assert validate_golongan_pppk("ix") == "IX"
    assert validate_golongan_pppk(" XVII ") == "XVII"
    assert validate_golongan_pppk(5) == "V"
    assert validate_golongan_pppk("17") == "XVII"
    for bad in ("XVIII", "0", "18", "IIX", "", "III/a"):
        with pytest.raises(ValidationError) as info:
            validate_golongan_pppk(bad)
        assert info.value.field == "golongan_pppk"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Siti Aminah", "Dr.", "S.Pd., M.Pd."), "Dr. Siti Aminah, S.Pd., M.Pd."),
        (("Sukarno",), "Sukarno"),
        (("Sukarno", None, "S.T."), "Sukarno, S.T."),
        (("  Siti   Aminah ", " Prof. Dr. ", None), "Prof. Dr. Siti Aminah"),
        (("Siti Aminah", "", ", S.Pd."), "Siti Aminah, S.Pd."),
    ],
)
def test_format_nama_lengkap(args: tuple[str, ...], expected: str) -> None:
    assert format_nama_lengkap(*args) == expected


@pytest.mark.parametrize(
    ("nama", "code"), [("", "missing"), ("   ", "missing"), ("A\x00", "bad_chars")]
)
def test_format_nama_lengkap_invalid(nama: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        format_nama_lengkap(nama)
    assert (info.value.field, info.value.code) == ("nama", code)
