"""The dashboard's six charts as plain data: categories, series and a one-sentence summary each,
built from rows by the domain functions (service standards, predikat guidance, IKM, JP).

Qt-free: the UI draws each `ChartData` as a chart *and* as its equivalent table (A-21).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from babel.dates import format_date, get_day_names

from asndesk.domain.activity import Pelatihan, jp_summary
from asndesk.domain.calendar import within_standard
from asndesk.domain.formatting import bulatkan, format_angka
from asndesk.domain.ikm import UNSUR_SKM, HasilIkm, SkmResponse, hitung_ikm
from asndesk.domain.parsing import parse_jam
from asndesk.domain.ratings import (
    POLA_DISTRIBUSI,
    URUTAN_PREDIKAT,
    CapaianOrganisasi,
    DistributionWarning,
    Predikat,
)
from asndesk.errors import ValidationError
from asndesk.i18n import _, current_locale, ngettext

MAX_SKM_UNITS = 3  # more bar sets per element than this would not be readable


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category; `in_chart=False` is a table-only column
    (e.g. counts beside percentages, which would not share the chart's value axis)."""

    name: str
    values: tuple[float, ...]
    in_chart: bool = True


@dataclass(frozen=True)
class ChartData:
    """One chart: `kind` is "line", "bar" or "heatmap" (rows = categories, columns = series)."""

    key: str
    kind: str
    title: str
    category_title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    summary: str
    decimals: int = 1
    value_max: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def chart_series(self) -> tuple[Series, ...]:
        return tuple(s for s in self.series if s.in_chart)


def angka(x: float | Decimal | int, decimals: int = 1) -> str:
    """A value as people read it ("2,5", "12"): no decimals when whole."""
    value = Decimal(str(x))
    return format_angka(value, 0 if value == value.to_integral_value() else decimals)


def _round(x: float | Fraction | Decimal | int, decimals: int) -> float:
    """Half-up, exactly, as the official documents round (not Python's float rounding)."""
    return float(bulatkan(x, decimals))


def month_label(tahun: int, bulan: int) -> str:
    return str(format_date(date(tahun, bulan, 1), "MMM yyyy", locale=current_locale()))


# -- services: completion time and the standard -------------------------------------------------
def completion_trend(tahun: int, logs: Sequence[Mapping[str, Any]]) -> ChartData:
    """Average working days per month (by the day received) of completed services."""
    per_month: dict[int, list[int]] = defaultdict(list)
    for r in logs:
        if r.get("status") == "selesai" and r.get("durasi_hari_kerja") is not None:
            per_month[int(str(r["diterima_tanggal"])[5:7])].append(int(r["durasi_hari_kerja"]))
    months = sorted(per_month)
    averages = [_round(Fraction(sum(per_month[m]), len(per_month[m])), 1) for m in months]
    total = sum(len(v) for v in per_month.values())
    if not months:
        summary = _("No completed services in {year}.").format(year=tahun)
    else:
        average = angka(_round(Fraction(sum(sum(v) for v in per_month.values()), total), 1))
        if len(months) == 1:
            summary = _("In {year}, {count} completed services took {average} working days on "
                        "average (all received in {month}).").format(
                year=tahun, count=total, average=average, month=month_label(tahun, months[0]))
        else:
            summary = _("In {year}, {count} completed services took {average} working days "
                        "on average, from {first} in {first_month} to {last} in "
                        "{last_month}.").format(
                year=tahun, count=total, average=average, first=angka(averages[0]),
                first_month=month_label(tahun, months[0]), last=angka(averages[-1]),
                last_month=month_label(tahun, months[-1]))
    return ChartData(
        "durasi", "line", _("Service completion time"), _("Month"),
        tuple(month_label(tahun, m) for m in months),
        (Series(_("Average completion time (working days)"), tuple(averages)),
         Series(_("Completed services"), tuple(float(len(per_month[m])) for m in months),
                in_chart=False)),
        _("working days"), summary)


def within_standard_share(tahun: int, logs: Sequence[Mapping[str, Any]],
                          types: Mapping[str, Mapping[str, Any]]) -> ChartData:
    """Per service type: the share of completed services done within its standard time."""
    done: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for r in logs:
        jenis = types.get(str(r.get("service_type_id")))
        if r.get("status") != "selesai" or r.get("durasi_hari_kerja") is None or jenis is None \
                or jenis.get("standar_hari_kerja") is None:
            continue
        name = f"{jenis['kode']} {jenis['nama']}"
        done[name] += 1
        ok[name] += within_standard(int(r["durasi_hari_kerja"]), int(jenis["standar_hari_kerja"]))
    names = sorted(done)
    shares = [_round(Fraction(ok[n] * 100, done[n]), 1) for n in names]
    if not names:
        summary = _("No completed services with a known standard time in {year}.").format(
            year=tahun)
    else:
        all_done, all_ok = sum(done.values()), sum(ok.values())
        low = min(range(len(names)), key=lambda i: (shares[i], names[i]))
        summary = _("In {year}, {ok} of {done} completed services ({share} %) were within the "
                    "standard time; lowest: {type} ({low} %).").format(
            year=tahun, ok=all_ok, done=all_done,
            share=angka(_round(Fraction(all_ok * 100, all_done), 1)), type=names[low],
            low=angka(shares[low]))
    return ChartData(
        "standar", "bar", _("Completed within the standard time"), _("Service type"),
        tuple(names),
        (Series(_("Within the standard (%)"), tuple(shares)),
         Series(_("Completed services"), tuple(float(done[n]) for n in names), in_chart=False)),
        "%", summary, value_max=100.0)


# -- predikat against the organisation's guidance -------------------------------------------------
def predikat_distribution(tahun: int, counts: Mapping[Predikat, int],
                          capaian: CapaianOrganisasi | None,
                          warnings: Sequence[DistributionWarning]) -> ChartData:
    """The share of each predikat, beside the pattern for the organisation's capaian."""
    total = sum(counts.values())
    labels = tuple(p.value for p in URUTAN_PREDIKAT)
    shares = tuple(_round(Fraction(counts.get(p, 0) * 100, total), 1) if total else 0.0
                   for p in URUTAN_PREDIKAT)
    series = [Series(_("Share of employees (%)"), shares)]
    if capaian is not None:
        series.append(Series(_("Pattern for capaian {capaian} (%)").format(
            capaian=capaian.value), tuple(float(v) for v in POLA_DISTRIBUSI[capaian])))
    series.append(Series(_("Employees"), tuple(float(counts.get(p, 0))
                                               for p in URUTAN_PREDIKAT), in_chart=False))
    if total == 0:
        summary = _("No ratings for {year} yet.").format(year=tahun)
    else:
        top = max(URUTAN_PREDIKAT, key=lambda p: (counts.get(p, 0), -URUTAN_PREDIKAT.index(p)))
        head = _("{total} ratings in {year}, most often {predikat} ({share} %)").format(
            total=total, year=tahun, predikat=top.value,
            share=angka(shares[URUTAN_PREDIKAT.index(top)]))
        if capaian is None:
            tail = _("the organisation's capaian is not known, so there is no guidance to "
                     "compare with.")
        elif warnings:
            tail = _("{count} departures from the guidance for capaian {capaian}.").format(
                count=len(warnings), capaian=capaian.value)
        else:
            tail = _("within the guidance for capaian {capaian}.").format(
                capaian=capaian.value)
        summary = f"{head}; {tail}"
    return ChartData(
        "predikat", "bar", _("Predikat distribution"), _("Predikat"), labels, tuple(series),
        "%", summary, value_max=100.0, notes=tuple(w.message() for w in warnings))


# -- satisfaction by element (SKM) ---------------------------------------------------------------
def skm_by_element(tahun: int, forms: Iterable[Mapping[str, Any]]) -> ChartData:
    """NRR per SKM element for the service units with the most forms (`hitung_ikm`)."""
    per_unit: dict[str, list[SkmResponse]] = defaultdict(list)
    damaged = 0
    for f in forms:
        try:
            response = SkmResponse({key: f.get(key.lower()) for key in UNSUR_SKM})
        except ValidationError:  # a synced form with an answer outside 1–4: left out
            damaged += 1
            continue
        per_unit[str(f["unit_layanan"])].append(response)
    results: list[tuple[str, HasilIkm]] = []
    skipped: list[str] = []
    for unit in sorted(per_unit, key=lambda u: (-len(per_unit[u]), u)):
        try:
            results.append((unit, hitung_ikm(per_unit[unit])))
        except ValidationError as err:  # an element nobody answered: no IKM for that unit
            skipped.append(_("{unit}: {reason}").format(unit=unit, reason=err.message()))
    shown = results[:MAX_SKM_UNITS]
    categories = tuple(f"{key} {nama}" for key, nama in UNSUR_SKM.items())
    series = tuple(Series(_("NRR {unit}").format(unit=unit), tuple(
        _round(hasil.nrr[key], 2) for key in UNSUR_SKM)) for unit, hasil in shown)
    if not shown:
        summary = _("No complete survey responses in {year}.").format(year=tahun)
    else:
        unit, hasil = shown[0]
        low = min(UNSUR_SKM, key=lambda k: (hasil.nrr[k], k))
        summary = _("{unit}: IKM {ikm} (mutu {mutu}, {kinerja}) from {count} responses in "
                    "{year}; lowest element {element} (NRR {nrr}).").format(
            unit=unit, ikm=format_angka(hasil.ikm_konversi_bulat, 2), mutu=hasil.mutu.value,
            kinerja=hasil.mutu.kinerja_unit, count=hasil.jumlah_responden, year=tahun,
            element=f"{low} {UNSUR_SKM[low]}", nrr=format_angka(bulatkan(hasil.nrr[low], 2), 2))
    notes = tuple(skipped) + tuple(
        _("{unit} is not shown here: the dashboard shows the {count} service units with the "
          "most responses.").format(unit=unit, count=MAX_SKM_UNITS)
        for unit, _h in results[MAX_SKM_UNITS:])
    if damaged:
        notes += (ngettext("{n} survey form with an answer outside 1 to 4 is left out.",
                           "{n} survey forms with an answer outside 1 to 4 are left out.",
                           damaged).format(n=damaged),)
    return ChartData(
        "ikm", "bar", _("Satisfaction by element"), _("Element"),
        categories if shown else (), series if shown else (), _("NRR (1 to 4)"), summary,
        decimals=2, value_max=4.0, notes=notes)


# -- log activity calendar -----------------------------------------------------------------------
def _minutes(start: Any, end: Any) -> int:
    """Minutes of one entry, as `LogHarian.durasi_menit` counts them; 0 for a damaged one
    (a replica record from another device is shown, never fatal)."""
    try:
        mulai, selesai = parse_jam("jam_mulai", str(start)), parse_jam("jam_selesai", str(end))
    except ValidationError:
        return 0
    return max(0, selesai.hour * 60 + selesai.minute - mulai.hour * 60 - mulai.minute)


def activity_calendar(tahun: int, logs: Iterable[Mapping[str, Any]]) -> ChartData:
    """Hours of log harian per day, one row per week (Monday first), one column per weekday."""
    per_day: Counter[date] = Counter()
    for r in logs:
        try:
            day = date.fromisoformat(str(r.get("tanggal")))
        except ValueError:
            continue
        if day.year == tahun:
            per_day[day] += _minutes(r.get("jam_mulai"), r.get("jam_selesai"))
    first = date(tahun, 1, 1)
    monday = first - timedelta(days=first.weekday())
    weeks: list[date] = []
    while monday.year <= tahun and monday <= date(tahun, 12, 31):
        weeks.append(monday)
        monday += timedelta(days=7)
    locale = current_locale()
    day_names = get_day_names("wide", locale=locale)
    series = tuple(Series(str(day_names[wd]), tuple(
        _round(Fraction(per_day.get(w + timedelta(days=wd), 0), 60), 1) for w in weeks))
        for wd in range(7))
    labels = tuple(_("Week of {date}").format(date=format_date(w, "d MMM yyyy", locale=locale))
                   for w in weeks)
    total = sum(per_day.values())
    if not total:
        summary = _("No log harian in {year}.").format(year=tahun)
    else:
        week_hours = [sum(s.values[i] for s in series) for i in range(len(weeks))]
        busiest = max(range(len(weeks)), key=lambda i: (week_hours[i], -i))
        days = sum(1 for v in per_day.values() if v)
        summary = ngettext(
            "{hours} hours logged on {days} day in {year}; busiest: {week} ({week_hours} "
            "hours).", "{hours} hours logged on {days} days in {year}; busiest: {week} "
            "({week_hours} hours).", days).format(
            hours=angka(_round(Fraction(total, 60), 1)),
            days=days, year=tahun, week=labels[busiest],
            week_hours=angka(_round(week_hours[busiest], 1)))
    # Not just "Week": in Indonesian that is "Minggu", which is also Sunday, a column here.
    return ChartData("aktivitas", "heatmap", _("Log activity calendar"), _("Week beginning"),
                     labels, series, _("hours"), summary)


# -- JP (training hours) -------------------------------------------------------------------------
def jp_per_month(tahun: int, trainings: Sequence[Pelatihan]) -> ChartData:
    """One's own JP per month (by the end date) and the year against the 20 JP right."""
    per_month: dict[int, Decimal] = defaultdict(Decimal)
    for p in trainings:
        if p.tanggal_selesai.year == tahun:
            per_month[p.tanggal_selesai.month] += p.jp
    s = jp_summary(trainings, tahun)
    months = tuple(range(1, 13))
    if s.terpenuhi:
        summary = _("{total} JP in {year}: the {target} JP right is met.").format(
            total=angka(s.total), year=tahun, target=s.target)
    else:
        summary = _("{total} JP in {year} of the {target} JP right; {missing} JP still to "
                    "go.").format(total=angka(s.total), year=tahun, target=s.target,
                                  missing=angka(s.kurang))
    return ChartData(
        "jp", "bar", _("Training hours (JP)"), _("Month"),
        tuple(month_label(tahun, m) for m in months),
        (Series(_("JP"), tuple(_round(per_month.get(m, Decimal(0)), 1) for m in months)),),
        "JP", summary)


def jp_per_person(tahun: int, people: Mapping[str, str],
                  trainings: Mapping[str, Sequence[Pelatihan]]) -> ChartData:
    """JP of each person in the team or unit, against the 20 JP right."""
    nips = sorted(people, key=lambda n: (people[n].casefold(), n))
    summaries = [jp_summary(trainings.get(n, ()), tahun) for n in nips]
    met = sum(1 for s in summaries if s.terpenuhi)
    target = summaries[0].target if summaries else jp_summary((), tahun).target
    if not nips:
        summary = _("No people in this view yet; sync first.")
    else:
        summary = _("{met} of {people} people reached the {target} JP right in {year}; "
                    "{total} JP in all.").format(
            met=met, people=len(nips), target=target, year=tahun,
            total=angka(sum((s.total for s in summaries), Decimal(0))))
    return ChartData(
        "jp", "bar", _("Training hours (JP)"), _("Name"),
        tuple(f"{people[n]} ({n})" for n in nips),
        (Series(_("JP"), tuple(_round(s.total, 1) for s in summaries)),), "JP", summary)
