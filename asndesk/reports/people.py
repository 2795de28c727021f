"""Who appears on a document: identity snapshots read tolerantly, printed as officials expect.

Snapshots come from the SKP, the penilaian or the local person table; a field that is not
known locally stays empty (printed "-"), it is never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asndesk.domain.identity import (
    format_nama_lengkap,
    normalisasi_golongan,
    pangkat_dari_golongan,
    parse_ni_pppk,
    parse_nip,
)
from asndesk.errors import ValidationError


@dataclass(frozen=True)
class Identitas:
    """One person as printed in an identity block (every field optional)."""

    nama_lengkap: str | None = None
    nip: str | None = None
    """The digits as stored (18 for NIP / NI PPPK), or None (non-ASN, or not known)."""
    jenis_asn: str | None = None
    golongan: str | None = None
    pangkat_golongan: str | None = None
    jabatan: str | None = None
    unit_kerja: str | None = None

    @property
    def nip_cetak(self) -> str | None:
        """The NIP grouped as printed ("19860926 201505 1 001"); other forms unchanged."""
        return nip_cetak(self.nip, self.jenis_asn)

    @property
    def dikenal(self) -> bool:
        return bool(self.nama_lengkap or self.nip)


def nip_cetak(nip: str | None, jenis_asn: str | None = None) -> str | None:
    """Group an 18-digit NIP (or NI PPPK when `jenis_asn` is PPPK) for print."""
    if not nip:
        return None
    try:
        if jenis_asn == "PPPK":
            return parse_ni_pppk(nip).grouped
        return parse_nip(nip).grouped
    except ValidationError:
        return nip  # an odd number is printed as typed rather than hidden


def pangkat_golongan(golongan: str | None, jenis_asn: str | None = None,
                     pangkat: str | None = None) -> str | None:
    """"Penata Muda, III/a" for a PNS golongan; PPPK prints the golongan alone."""
    if not golongan:
        return pangkat or None
    if jenis_asn == "PPPK":
        return golongan
    try:
        kanonik = normalisasi_golongan(golongan)
    except ValidationError:
        return golongan
    return (pangkat or pangkat_dari_golongan(kanonik)) + ", " + kanonik


def _teks(data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def identitas_dari(data: Mapping[str, Any] | None, unit_kerja: str | None = None
                   ) -> Identitas | None:
    """An `Identitas` from a person row or a JSON snapshot (keys as in the `person` table,
    plus `pangkat` and `unit_kerja`); None when there is nothing to print."""
    if not data:
        return None
    nama = _teks(data, "nama")
    try:
        lengkap = (format_nama_lengkap(nama, _teks(data, "gelar_depan"),
                                       _teks(data, "gelar_belakang")) if nama else None)
    except ValidationError:
        lengkap = nama
    jenis = _teks(data, "jenis_asn")
    who = Identitas(
        nama_lengkap=lengkap,
        nip=_teks(data, "nip"),
        jenis_asn=jenis,
        golongan=_teks(data, "golongan"),
        pangkat_golongan=pangkat_golongan(_teks(data, "golongan"), jenis, _teks(data, "pangkat")),
        jabatan=_teks(data, "jabatan"),
        unit_kerja=_teks(data, "unit_kerja", "unit_nama", "unit") or unit_kerja,
    )
    return who if who.dikenal or who.jabatan else None


def snapshot(text: str | None) -> dict[str, Any]:
    """A JSON snapshot column as a dict; damaged or empty JSON reads as nothing known."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def pertama(*candidates: Identitas | None) -> Identitas | None:
    """The first known identity, in order of authority (period snapshot, SKP, roster)."""
    for who in candidates:
        if who is not None:
            return who
    return None
