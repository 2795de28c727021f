"""The SKP (Sasaran Kinerja Pegawai) model, its validation and its approval workflow.

Rules follow PermenPANRB 6/2022 as summarised in shared/domain.md §2.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from asndesk.errors import InvalidState, ValidationError
from asndesk.i18n import N_


class JenisJabatan(enum.StrEnum):
    """Kind of position; decides the SKP layout (JPT vs. JA/JF)."""

    JPT_UTAMA = "jpt_utama"
    JPT_MADYA = "jpt_madya"
    JPT_PRATAMA = "jpt_pratama"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL_KEAHLIAN = "fungsional_keahlian"
    FUNGSIONAL_KETERAMPILAN = "fungsional_keterampilan"

    @property
    def is_jpt(self) -> bool:
        """True for Jabatan Pimpinan Tinggi (perspektif instead of aspek and RHK atasan)."""
        return self in (JenisJabatan.JPT_UTAMA, JenisJabatan.JPT_MADYA, JenisJabatan.JPT_PRATAMA)


class Pendekatan(enum.StrEnum):
    """Approach of the SKP (kuantitatif is the default)."""

    KUANTITATIF = "kuantitatif"
    KUALITATIF = "kualitatif"


class StatusSkp(enum.StrEnum):
    """Workflow state; Disetujui means ditetapkan (approved)."""

    DRAFT = "Draft"
    DIAJUKAN = "Diajukan"
    DISETUJUI = "Disetujui"
    DIKEMBALIKAN = "Dikembalikan"


class JenisRhk(enum.StrEnum):
    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class Aspek(enum.StrEnum):
    KUANTITAS = "Kuantitas"
    KUALITAS = "Kualitas"
    WAKTU = "Waktu"
    BIAYA = "Biaya"


class Perspektif(enum.StrEnum):
    PENERIMA_LAYANAN = "Penerima Layanan"
    PROSES_BISNIS = "Proses Bisnis"
    PENGUATAN_INTERNAL = "Penguatan Internal"
    ANGGARAN = "Anggaran"


class JenisLampiran(enum.StrEnum):
    """The three lists on the LAMPIRAN page."""

    DUKUNGAN_SUMBER_DAYA = "dukungan_sumber_daya"
    SKEMA_PERTANGGUNGJAWABAN = "skema_pertanggungjawaban"
    KONSEKUENSI = "konsekuensi"

    @property
    def nama(self) -> str:
        """Display name: "Dukungan Sumber Daya", "Skema Pertanggungjawaban", "Konsekuensi"."""
        return self.value.replace("_", " ").title()


@dataclass(frozen=True)
class NilaiPerilaku:
    """One BerAKHLAK core value with its three behaviour guides (SE MenPANRB 20/2021)."""

    kode: int
    nama: str
    panduan: tuple[str, str, str]


# fmt: off
BERAKHLAK: tuple[NilaiPerilaku, ...] = (
    NilaiPerilaku(1, "Berorientasi Pelayanan", (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti")),
    NilaiPerilaku(2, "Akuntabel", (
        "Jujur, bertanggung jawab, cermat, disiplin, berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, efisien",
        "Tidak menyalahgunakan kewenangan jabatan")),
    NilaiPerilaku(3, "Kompeten", (
        "Meningkatkan kompetensi diri",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik")),
    NilaiPerilaku(4, "Harmonis", (
        "Menghargai setiap orang apapun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif")),
    NilaiPerilaku(5, "Loyal", (
        "Memegang teguh Pancasila, UUD 1945, setia kepada NKRI dan pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
        "Menjaga rahasia jabatan dan negara")),
    NilaiPerilaku(6, "Adaptif", (
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif")),
    NilaiPerilaku(7, "Kolaboratif", (
        "Memberi kesempatan berbagai pihak berkontribusi",
        "Terbuka bekerja sama untuk nilai tambah",
        "Menggerakkan pemanfaatan sumber daya untuk tujuan bersama")),
)
# fmt: on
"""The seven BerAKHLAK core values in official order (guides capitalised as printed)."""


@dataclass(frozen=True)
class Iki:
    """Indikator Kinerja Individu with its target (value + unit)."""

    id: str
    indikator: str
    target_nilai: Decimal
    target_satuan: str
    aspek: Aspek | None
    urutan: int = 0


@dataclass(frozen=True)
class Rhk:
    """Rencana Hasil Kerja (section A Utama or B Tambahan)."""

    id: str
    jenis: JenisRhk
    teks: str
    iki: tuple[Iki, ...] = ()
    rhk_atasan: str | None = None
    """The supervisor's RHK this one serves (RHK atasan yang diintervensi); JA/JF only."""
    perspektif: Perspektif | None = None
    """JPT only."""
    urutan: int = 0


@dataclass(frozen=True)
class PerilakuKerja:
    """A BerAKHLAK value (by kode 1..7) with the optional ekspektasi khusus pimpinan."""

    kode: int
    ekspektasi_khusus: str | None = None


@dataclass(frozen=True)
class Lampiran:
    """One entry in one of the three LAMPIRAN lists."""

    id: str
    jenis: JenisLampiran
    teks: str
    urutan: int = 0


@dataclass(frozen=True)
class Skp:
    """One employee's SKP for one year and position."""

    id: str
    nip_pegawai: str
    tahun: int
    jenis_jabatan: JenisJabatan
    pendekatan: Pendekatan
    status: StatusSkp
    rhk: tuple[Rhk, ...]
    perilaku: tuple[PerilakuKerja, ...]
    lampiran: tuple[Lampiran, ...] = ()
    version: int = 1


# Text limits (characters). domain.md sets none; these fit e-Kinerja's form fields comfortably.
MAKS_TEKS_RHK = 2000
MAKS_INDIKATOR = 1000
MAKS_SATUAN = 50
MAKS_EKSPEKTASI = 2000
MAKS_LAMPIRAN = 2000
TAHUN_MIN, TAHUN_MAKS = 2000, 2100
MAKS_TARGET = Decimal(10) ** 12


def perilaku_awal() -> tuple[PerilakuKerja, ...]:
    """The seven BerAKHLAK values in order, without ekspektasi khusus: a new SKP's perilaku."""
    return tuple(PerilakuKerja(nilai.kode) for nilai in BERAKHLAK)


def validate_text(field: str, value: str | None, max_len: int) -> str:
    """Stripped text, or ValidationError: "missing" (empty), "bad_chars", "too_long".

    Newlines and tabs are allowed; CR LF / CR are normalised to LF first (pasted Windows text);
    any other control character, including NUL, is rejected.
    """
    if value is None:
        raise ValidationError(field, "missing", N_("This value is required."))
    if not isinstance(value, str):
        raise ValidationError(field, "bad_type", N_("The value must be text."))
    teks = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not teks:
        raise ValidationError(field, "missing", N_("This value is required."))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in teks):
        raise ValidationError(field, "bad_chars", N_("The text contains invalid characters."))
    if len(teks) > max_len:
        msg = N_("The text is too long: {length} characters, at most {max_len}.")
        raise ValidationError(field, "too_long", msg, length=len(teks), max_len=max_len)
    return teks


# "1.234.567" or "1.234.567,5": dots group thousands (Indonesian) when followed by a comma or
# when there are several of them.
_RIBUAN_ID = re.compile(r"[1-9][0-9]{0,2}(\.[0-9]{3})+(,[0-9]+)?")
_SATU_PEMISAH = re.compile(r"[0-9]+([.,][0-9]+)?")
# "1.000" alone could be one thousand (id) or one (en): refuse rather than guess.
_AMBIGU = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")


def _parse_teks_target(field: str, value: str) -> Decimal:
    teks = value.strip()
    if not teks:
        raise ValidationError(field, "missing", N_("This value is required."))
    negatif = teks.startswith("-")
    angka = teks[1:].strip() if negatif else teks
    if _AMBIGU.fullmatch(angka):
        msg = N_("Write {value} without a thousands separator, e.g. 1000 or 1,5.")
        raise ValidationError(field, "ambiguous", msg, value=teks)
    if _RIBUAN_ID.fullmatch(angka):
        angka = angka.replace(".", "").replace(",", ".")
    elif _SATU_PEMISAH.fullmatch(angka):
        angka = angka.replace(",", ".")
    else:
        raise ValidationError(field, "bad_number", N_("The target must be a number."))
    return Decimal(("-" if negatif else "") + angka)


def validate_target(field: str, value: str | int | Decimal | float) -> Decimal:
    """A target value ≥ 0 as Decimal from "2", "2,5" (Indonesian comma), "2.5" or a number.

    "1.234,5" and "1.234.567" read as Indonesian thousands; "1.000" alone is ambiguous and
    refused (code "ambiguous"). Codes: "missing", "bad_number", "negative", "too_large".
    Floats are read through `str` (0.1 → Decimal("0.1")).
    """
    if isinstance(value, str):
        hasil = _parse_teks_target(field, value)
    elif isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        hasil = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not hasil.is_finite():
            raise ValidationError(field, "bad_number", N_("The target must be a number."))
    else:
        raise ValidationError(field, "bad_number", N_("The target must be a number."))
    if hasil < 0:
        raise ValidationError(field, "negative", N_("The target must not be negative."))
    if hasil >= MAKS_TARGET:
        raise ValidationError(field, "too_large", N_("The target is too large."))
    return hasil


def _cek(problems: list[ValidationError], field: str, value: str | None, max_len: int) -> None:
    try:
        validate_text(field, value, max_len)
    except ValidationError as err:
        problems.append(err)


def _problems_iki(iki: Iki, p: str, jpt: bool) -> list[ValidationError]:
    problems: list[ValidationError] = []
    _cek(problems, p + ".indikator", iki.indikator, MAKS_INDIKATOR)
    try:
        validate_target(p + ".target_nilai", iki.target_nilai)
    except ValidationError as err:
        problems.append(err)
    _cek(problems, p + ".target_satuan", iki.target_satuan, MAKS_SATUAN)
    if jpt and iki.aspek is not None:
        problems.append(ValidationError(p + ".aspek", "not_allowed", N_("A JPT IKI has no aspek.")))
    if not jpt and iki.aspek is None:
        problems.append(ValidationError(p + ".aspek", "missing", N_("Choose the aspek.")))
    return problems


def _problems_rhk(rhk: Rhk, p: str, jpt: bool) -> list[ValidationError]:
    problems: list[ValidationError] = []
    _cek(problems, p + ".teks", rhk.teks, MAKS_TEKS_RHK)
    if jpt and rhk.perspektif is None:
        problems.append(ValidationError(p + ".perspektif", "missing", N_("Choose the perspektif.")))
    if not jpt and rhk.perspektif is not None:
        msg = N_("Only a JPT SKP has a perspektif.")
        problems.append(ValidationError(p + ".perspektif", "not_allowed", msg))
    # JPT RHK come from the perjanjian kinerja: an RHK atasan is optional, checked if given.
    if not jpt or (rhk.rhk_atasan is not None and rhk.rhk_atasan.strip()):
        _cek(problems, p + ".rhk_atasan", rhk.rhk_atasan, MAKS_TEKS_RHK)
    if not rhk.iki:
        msg = N_("Each RHK needs at least one indicator (IKI).")
        problems.append(ValidationError(p + ".iki", "missing", msg))
    for j, iki in enumerate(rhk.iki):
        problems.extend(_problems_iki(iki, p + ".iki[" + str(j) + "]", jpt))
    return problems


_NIP18 = re.compile(r"[0-9]{18}")


def skp_problems(skp: Skp) -> list[ValidationError]:
    """Every problem that blocks submitting `skp`, in document order (empty = ready).

    Fields are paths such as "rhk[0].iki[1].target_nilai" (indexes into the tuples).
    """
    problems: list[ValidationError] = []
    if not _NIP18.fullmatch(skp.nip_pegawai or ""):
        msg = N_("The NIP must have 18 digits.")
        problems.append(ValidationError("nip_pegawai", "bad_format", msg))
    if isinstance(skp.tahun, bool) or not TAHUN_MIN <= skp.tahun <= TAHUN_MAKS:
        msg = N_("The year must be between {min} and {max}.")
        problems.append(
            ValidationError("tahun", "out_of_range", msg, min=TAHUN_MIN, max=TAHUN_MAKS)
        )
    jpt = JenisJabatan(skp.jenis_jabatan).is_jpt
    if not any(rhk.jenis == JenisRhk.UTAMA for rhk in skp.rhk):
        msg = N_("The SKP needs at least one RHK Utama.")
        problems.append(ValidationError("rhk", "missing_utama", msg))
    for i, rhk in enumerate(skp.rhk):
        problems.extend(_problems_rhk(rhk, "rhk[" + str(i) + "]", jpt))
    if [perilaku.kode for perilaku in skp.perilaku] != [nilai.kode for nilai in BERAKHLAK]:
        msg = N_("Perilaku kerja must be exactly the seven BerAKHLAK values, in order.")
        problems.append(ValidationError("perilaku", "bad_values", msg))
    for i, perilaku in enumerate(skp.perilaku):
        teks = perilaku.ekspektasi_khusus
        # Optional: blank means "none"; only a non-blank text is checked.
        if teks is not None and teks.strip():
            _cek(problems, "perilaku[" + str(i) + "].ekspektasi_khusus", teks, MAKS_EKSPEKTASI)
    for i, lampiran in enumerate(skp.lampiran):
        _cek(problems, "lampiran[" + str(i) + "].teks", lampiran.teks, MAKS_LAMPIRAN)
    return problems


def validate_skp_for_submit(skp: Skp) -> None:
    """Raise the first of `skp_problems(skp)`, if any."""
    problems = skp_problems(skp)
    if problems:
        raise problems[0]


def can_edit(status: StatusSkp | str) -> bool:
    """Whether the employee may change the plan (Draft or Dikembalikan); approved SKPs need a
    new revision instead."""
    return status in (StatusSkp.DRAFT, StatusSkp.DIKEMBALIKAN)


_S = StatusSkp
# fmt: off
TRANSISI_PEGAWAI: frozenset[tuple[StatusSkp, StatusSkp]] = frozenset({
    (_S.DRAFT, _S.DIAJUKAN),  # ajukan
    (_S.DIKEMBALIKAN, _S.DIAJUKAN),  # ajukan ulang after fixing
    (_S.DIKEMBALIKAN, _S.DRAFT),  # resume editing as a draft (domain.md §2)
    (_S.DIAJUKAN, _S.DRAFT),  # tarik kembali (withdraw) before the supervisor acts
})
TRANSISI_PENILAI: frozenset[tuple[StatusSkp, StatusSkp]] = frozenset({
    (_S.DIAJUKAN, _S.DISETUJUI),  # setujui (= ditetapkan)
    (_S.DIAJUKAN, _S.DIKEMBALIKAN),  # kembalikan, with the supervisor's note
})
# fmt: on
ALLOWED_TRANSITIONS: Mapping[StatusSkp, frozenset[StatusSkp]] = MappingProxyType(
    {s: frozenset(b for a, b in TRANSISI_PEGAWAI | TRANSISI_PENILAI if a == s) for s in StatusSkp}
)
"""Status → statuses reachable from it (employee and supervisor moves together)."""


def _status(value: StatusSkp | str, field: str) -> StatusSkp:
    try:
        return StatusSkp(value)
    except ValueError:
        msg = N_("Unknown SKP status {value}.")
        raise ValidationError(field, "unknown", msg, value=str(value)) from None


def check_transition(from_status: StatusSkp | str, to_status: StatusSkp | str) -> None:
    """Raise `InvalidState(status=from_status)` unless from_status → to_status is allowed."""
    dari = _status(from_status, "status")
    if _status(to_status, "status_baru") not in ALLOWED_TRANSITIONS[dari]:
        raise InvalidState(status=dari.value)
