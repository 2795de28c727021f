"""Survei Kepuasan Masyarakat: recording paper survey forms and the IKM of a service unit.

A form is one respondent's answers to the nine elements (1–4). The IKM summary counts every
form of the unit in the period on this device (own ones and, for HR, the unit's from sync).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from asndesk.domain.ikm import (
    NILAI_MAKS,
    NILAI_MIN,
    UNSUR_SKM,
    HasilIkm,
    SkmResponse,
    hitung_ikm,
    ukuran_sampel_krejcie_morgan,
)
from asndesk.domain.parsing import parse_tanggal
from asndesk.domain.skp import validate_text
from asndesk.errors import ValidationError
from asndesk.i18n import N_
from asndesk.store import report_repo, rows, skm_repo
from asndesk.store.database import Changes, WriteTx
from asndesk.store.ids import uuid7

if TYPE_CHECKING:
    from asndesk.store.database import Store

MAKS_UNIT = 200
MAKS_SARAN = 2000
POPULASI_DIISI, POPULASI_LAYANAN = "diisi", "layanan"
"""Where the population came from: typed by the person, or the services completed."""


@dataclass(frozen=True)
class IkmRingkasan:
    """The IKM of one service unit over a period, with the sample it needs.

    `hasil` is None when it cannot be computed yet (`masalah` says why: no forms, or an element
    nobody answered). `populasi_sumber` is POPULASI_DIISI, POPULASI_LAYANAN or None (unknown)."""

    unit_layanan: str
    dari: date
    sampai: date
    jumlah_form: int
    hasil: HasilIkm | None
    masalah: ValidationError | None
    populasi: int | None
    populasi_sumber: str | None
    sampel_minimal: int | None
    nrr: Mapping[str, Fraction | None] = field(default_factory=dict)
    """NRR per element "U1".."U9" even when the IKM cannot be computed (None: unanswered)."""
    jumlah_menjawab: Mapping[str, int] = field(default_factory=dict)

    @property
    def kekurangan_sampel(self) -> int | None:
        """Forms still needed to reach the Krejcie–Morgan sample (0 when enough)."""
        if self.sampel_minimal is None:
            return None
        return max(0, self.sampel_minimal - self.jumlah_form)


def _answer(field: str, value: object) -> int | None:
    """One element's answer: 1–4 as int or one-digit text; blank means not answered."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not (
            NILAI_MIN <= value <= NILAI_MAKS):
        raise ValidationError(field, "out_of_range",
                              N_("The answer must be between {min} and {max}."),
                              min=NILAI_MIN, max=NILAI_MAKS)
    return value


def validate_answers(jawaban: Mapping[str, object]) -> dict[str, int | None]:
    """Answers keyed u1..u9 (or U1..U9); errors name the element's field ("u3")."""
    found: dict[str, int | None] = dict.fromkeys(skm_repo.ANSWER_COLUMNS)
    for key, value in jawaban.items():
        column = str(key).lower()
        if column not in found:
            raise ValidationError("jawaban", "unknown_key",
                                  N_("Unknown survey element {key}; use U1 to U9."), key=key)
        found[column] = _answer(column, value)
    if all(v is None for v in found.values()):
        raise ValidationError("u1", "missing", N_("The form has no answers: type 1 to 4 for "
                                                  "each element."))
    return found


def _response_of(row: Mapping[str, Any]) -> SkmResponse:
    return SkmResponse({key: row[key.lower()] for key in UNSUR_SKM})


def _range(dari: date | str, sampai: date | str) -> tuple[date, date]:
    start, end = parse_tanggal("dari", dari), parse_tanggal("sampai", sampai)
    if end < start:
        raise ValidationError("sampai", "before_start",
                              N_("The end date must not be before the start date."))
    return start, end


class SkmUseCases:
    store: Store

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def add_skm_response(self, unit_layanan: str, tanggal: date | str,
                         jawaban: Mapping[str, object], *, service_type_id: str | None = None,
                         saran: str | None = None, hari_ini: date | None = None) -> Changes:
        """Record one paper form; errors name the field (unit_layanan, tanggal, u1..u9, …)."""
        row = self._checked_form(unit_layanan, tanggal, jawaban,
                                 service_type_id=service_type_id, saran=saran, hari_ini=hari_ini)
        with self._write() as tx:
            rows.insert(tx, skm_repo.KIND, {**row, "created_at": tx.now_utc})
            tx.op("create", skm_repo.KIND, row["id"], row)
        tx.changes.primary_id = row["id"]
        return tx.changes

    def correct_skm_response(self, response_id: str, unit_layanan: str, tanggal: date | str,
                             jawaban: Mapping[str, object], *,
                             service_type_id: str | None = None, saran: str | None = None,
                             hari_ini: date | None = None) -> Changes:
        """Fix a mistyped form: it is replaced by a new one in one write (a form has no
        versions to merge; the server deletes the old and stores the new, in order)."""
        skm_repo.get(self.store.conn, response_id)
        row = self._checked_form(unit_layanan, tanggal, jawaban,
                                 service_type_id=service_type_id, saran=saran, hari_ini=hari_ini)
        with self._write() as tx:
            rows.delete(tx, skm_repo.KIND, response_id)
            tx.op("delete", skm_repo.KIND, response_id, {})
            rows.insert(tx, skm_repo.KIND, {**row, "created_at": tx.now_utc})
            tx.op("create", skm_repo.KIND, row["id"], row)
        tx.changes.primary_id = row["id"]
        return tx.changes

    def delete_skm_response(self, response_id: str) -> Changes:
        """Remove one of this person's own forms (another person's cannot be removed here)."""
        skm_repo.get(self.store.conn, response_id)
        with self._write() as tx:
            rows.delete(tx, skm_repo.KIND, response_id)
            tx.op("delete", skm_repo.KIND, response_id, {})
        return tx.changes

    def skm_response(self, response_id: str) -> dict[str, Any]:
        return dict(skm_repo.get(self.store.conn, response_id))

    def skm_responses(self, unit_layanan: str, dari: date | str, sampai: date | str
                      ) -> list[dict[str, Any]]:
        """Forms of one service unit dated in [dari, sampai], own ones first."""
        start, end = _range(dari, sampai)
        return skm_repo.responses(self.store.conn, unit_layanan.strip(), start.isoformat(),
                                  end.isoformat())

    def skm_unit_names(self) -> list[str]:
        """Service units named by any survey form on this device."""
        return skm_repo.units(self.store.conn)

    def ikm_summary(self, unit_layanan: str, dari: date | str, sampai: date | str,
                    populasi: int | str | None = None) -> IkmRingkasan:
        """NRR per element, IKM (1–4, 25–100), mutu and the sample needed vs collected.

        Without a `populasi` it is the services completed in the period on this device (the
        same default as the IKM report); none recorded → no sample size."""
        unit = validate_text("unit_layanan", unit_layanan, MAKS_UNIT)
        start, end = _range(dari, sampai)
        found = self.skm_responses(unit, start, end)
        sumber: str | None = POPULASI_DIISI
        jumlah = _population(populasi)
        if jumlah is None:
            jumlah = report_repo.completed_services(self.store.conn, start.isoformat(),
                                                    end.isoformat()) or None
            sumber = POPULASI_LAYANAN if jumlah else None
        responses = [_response_of(r) for r in found]
        hasil: HasilIkm | None = None
        masalah: ValidationError | None = None
        try:
            hasil = hitung_ikm(responses)
        except ValidationError as err:
            masalah = err
        nrr, menjawab = _nrr_per_unsur(responses)
        return IkmRingkasan(
            unit_layanan=unit, dari=start, sampai=end, jumlah_form=len(found), hasil=hasil,
            masalah=masalah, populasi=jumlah, populasi_sumber=sumber,
            sampel_minimal=ukuran_sampel_krejcie_morgan(jumlah) if jumlah else None,
            nrr=dict(hasil.nrr) if hasil is not None else nrr,
            jumlah_menjawab=dict(hasil.jumlah_menjawab) if hasil is not None else menjawab)

    def _checked_form(self, unit_layanan: str, tanggal: date | str,
                      jawaban: Mapping[str, object], *, service_type_id: str | None,
                      saran: str | None, hari_ini: date | None) -> dict[str, Any]:
        unit = validate_text("unit_layanan", unit_layanan, MAKS_UNIT)
        hari = parse_tanggal("tanggal", tanggal)
        if hari > (hari_ini or date.today()):
            raise ValidationError("tanggal", "future",
                                  N_("The survey date cannot be in the future."))
        if service_type_id:
            if service_type_id not in report_repo.service_types_by_id(self.store.conn,
                                                                      [service_type_id]):
                raise ValidationError("service_type_id", "unknown",
                                      N_("This service type is not on this device."))
        answers = validate_answers(jawaban)
        note = None if saran is None or not saran.strip() else validate_text(
            "saran", saran, MAKS_SARAN)
        return {"id": uuid7(), "unit_layanan": unit, "service_type_id": service_type_id or None,
                "tanggal": hari.isoformat(), **answers, "saran": note}


def _nrr_per_unsur(responses: list[SkmResponse]
                   ) -> tuple[dict[str, Fraction | None], dict[str, int]]:
    """NRR of each element on its own (None when nobody answered it), so the elements that
    were answered can be shown while the IKM still waits for the others."""
    menjawab = {kode: sum(1 for r in responses if r.answers.get(kode) is not None)
                for kode in UNSUR_SKM}
    nrr: dict[str, Fraction | None] = {
        kode: (Fraction(sum(r.answers.get(kode) or 0 for r in responses), menjawab[kode])
               if menjawab[kode] else None) for kode in UNSUR_SKM}
    return nrr, menjawab


def _population(value: int | str | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise ValidationError("populasi", "bad_number",
                                  N_("The population must be a whole number of at least 1."))
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("populasi", "out_of_range",
                              N_("The population must be a whole number of at least 1."))
    return value
