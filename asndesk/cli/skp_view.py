"""Plain-text rendering of an SKP for the terminal, in the document's order."""

from __future__ import annotations

from typing import Any

from asndesk.domain.formatting import format_angka
from asndesk.domain.skp import BERAKHLAK, JenisRhk, Skp
from asndesk.i18n import _


def print_skp(skp: Skp, history: list[dict[str, Any]]) -> None:
    print(_("SKP {year} — status {status} (version {version})").format(
        year=skp.tahun, status=skp.status.value, version=skp.version))
    print(_("Position type: {kind}; approach: {approach}").format(
        kind=skp.jenis_jabatan.value, approach=skp.pendekatan.value))
    print(f"id {skp.id}")
    for jenis, heading in ((JenisRhk.UTAMA, "A. UTAMA"), (JenisRhk.TAMBAHAN, "B. TAMBAHAN")):
        print()
        print(heading)
        items = [r for r in skp.rhk if r.jenis == jenis]
        if not items:
            print("  " + _("(none)"))
        for n, rhk in enumerate(items, start=1):
            print(f"  {n}. {rhk.teks}   [id {rhk.id}]")
            if rhk.rhk_atasan:
                print("     " + _("Supervisor's RHK: {text}").format(text=rhk.rhk_atasan))
            if rhk.perspektif:
                print("     " + _("Perspective: {text}").format(text=rhk.perspektif.value))
            for iki in rhk.iki:
                aspek = f"[{iki.aspek.value}] " if iki.aspek else ""
                target = format_angka(iki.target_nilai, desimal=_places(iki.target_nilai))
                print(f"     - {aspek}{iki.indikator}: {target} {iki.target_satuan}"
                      f"   [id {iki.id}]")
    print()
    print(_("PERILAKU KERJA"))
    expectations = {p.kode: p.ekspektasi_khusus for p in skp.perilaku}
    for nilai in BERAKHLAK:
        extra = expectations.get(nilai.kode)
        print(f"  {nilai.kode}. {nilai.nama}" + (f" — {extra}" if extra else ""))
    if skp.lampiran:
        print()
        print(_("LAMPIRAN"))
        for item in skp.lampiran:
            print(f"  {item.jenis.nama}: {item.teks}")
    if history:
        print()
        print(_("History:"))
        for h in history:
            print(f"  {h['terjadi_pada'][:19].replace('T', ' ')}  {h['dari'] or '—'} → {h['ke']}")


def _places(value: Any) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
