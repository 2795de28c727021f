"""Who a document names: grouped numbers, pangkat lines, snapshots read tolerantly, and
nothing filled in that the device does not know."""

from __future__ import annotations

import json

from asndesk.reports.layout import identitas_rows
from asndesk.reports.people import identitas_dari, nip_cetak, pangkat_golongan, pertama, snapshot


def test_numbers_are_grouped_by_kind() -> None:
    assert nip_cetak("198609262015051001") == "19860926 201505 1 001"
    # A NI PPPK's 13th–14th digits are a code, not a month: grouped its own way.
    assert nip_cetak("199001012022211001", "PPPK") == "19900101 2022 21 1 001"
    # A number that is not a valid NIP is printed as stored rather than hidden or "fixed".
    assert nip_cetak("199001012022211001") == "199001012022211001"
    assert nip_cetak(None) is None and nip_cetak("") is None


def test_pangkat_lines() -> None:
    assert pangkat_golongan("iii/b") == "Penata Muda Tingkat I, III/b"
    assert pangkat_golongan("IX", "PPPK") == "IX"
    assert pangkat_golongan(None) is None
    assert pangkat_golongan("X/z") == "X/z"


def test_identity_from_a_person_row_or_snapshot() -> None:
    who = identitas_dari({"nama": "  Siti   Aminah ", "gelar_depan": "Dr.",
                          "gelar_belakang": ", M.Pd.", "nip": "198609262015051001",
                          "jenis_asn": "PNS", "golongan": "IV/a", "jabatan": "Kepala Seksi",
                          "unit_nama": "Dinas Kependudukan"})
    assert who is not None
    assert who.nama_lengkap == "Dr. Siti Aminah, M.Pd."
    assert who.nip_cetak == "19860926 201505 1 001"
    assert who.pangkat_golongan == "Pembina, IV/a"
    assert who.unit_kerja == "Dinas Kependudukan"


def test_unknown_people_stay_unknown() -> None:
    assert identitas_dari(None) is None and identitas_dari({}) is None
    assert identitas_dari({"nama": " ", "nip": ""}) is None
    assert snapshot("{not json") == {} and snapshot("[1, 2]") == {} and snapshot(None) == {}
    assert snapshot(json.dumps({"nama": "Budi"})) == {"nama": "Budi"}
    assert pertama(None, None) is None
    rows = identitas_rows(None, "id")
    assert [label for label, _ in rows] == ["Nama", "NIP", "Pangkat/Gol. Ruang", "Jabatan",
                                           "Unit Kerja"]
    assert all(value is None for _, value in rows)
    # A non-ASN evaluator (JPT) has a name and no NIP: the name prints, the NIP stays empty.
    non_asn = identitas_dari({"nama": "Ir. Joko", "jenis_asn": "NON_ASN"})
    assert non_asn is not None and non_asn.nip_cetak is None
