"""The layout toolkit every official document uses: paper, embedded font, styles, blocks.

Documents are built in memory (`build_pdf` returns bytes); nothing here touches the disk
except reading the shipped TTF once.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from asndesk.domain.formatting import format_angka, format_persen
from asndesk.paths import resource_path
from asndesk.reports.labels import label
from asndesk.reports.people import Identitas

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_fonts_lock = threading.Lock()
_fonts_ready: list[bool] = []


class Kertas(enum.StrEnum):
    """Paper size: A4, or F4 (215 × 330 mm, common in Indonesian offices)."""

    A4 = "A4"
    F4 = "F4"

    @property
    def ukuran(self) -> tuple[float, float]:
        return A4 if self is Kertas.A4 else (215 * mm, 330 * mm)


MARGIN = 18 * mm


def register_fonts() -> None:
    """Register the shipped DejaVu Sans (regular + bold) once; every style uses it."""
    with _fonts_lock:
        if _fonts_ready:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(
            TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                      boldItalic=FONT_BOLD)
        # No italic face is shipped: map the names back to upright so text is not
        # marked italic (the family call leaves the reverse mapping on the italic slot).
        addMapping(FONT, 0, 0, FONT)
        addMapping(FONT, 1, 0, FONT_BOLD)
        _fonts_ready.append(True)


# Styles name the font, and paragraphs resolve it when they are made (not when the PDF is
# built), so the font is registered as soon as the toolkit is imported.
register_fonts()


_ALIGN: dict[str, Literal[0, 1]] = {"left": 0, "center": 1}  # reportlab's TA_LEFT, TA_CENTER


def _style(name: str, size: float = 8.5, bold: bool = False,
           align: Literal["left", "center"] = "left", space_after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=size * 1.25, alignment=_ALIGN[align], spaceAfter=space_after)


SEL = _style("sel", size=7.5)
SEL_TEBAL = _style("sel_tebal", size=7.5, bold=True)
SEL_TENGAH = _style("sel_tengah", size=7.5, align="center")
KEPALA_KECIL = _style("kepala_kecil", size=6.3, bold=True)
JUDUL = _style("judul", size=12, bold=True, align="center", space_after=2)
SUBJUDUL = _style("subjudul", size=9, bold=True, align="center", space_after=1)
BAGIAN = _style("bagian", size=9, bold=True, space_after=2)


def p(text: object, style: ParagraphStyle = SEL) -> Paragraph:
    """A paragraph of user text: escaped (so "<" in an activity is text, not markup)."""
    shown = "-" if text is None or text == "" else str(text)
    return Paragraph(escape(shown).replace("\n", "<br/>"), style)


def judul(*lines: str) -> list[Flowable]:
    """A form heading: UPPERCASE, centred, the first line larger."""
    out: list[Flowable] = [Paragraph(escape(lines[0].upper()), JUDUL)]
    out += [Paragraph(escape(line.upper()), SUBJUDUL) for line in lines[1:]]
    out.append(Spacer(1, 4 * mm))
    return out


def bagian(text: str) -> list[Flowable]:
    """A section heading inside a form (UPPERCASE)."""
    return [Spacer(1, 3 * mm), Paragraph(escape(text.upper()), BAGIAN)]


def angka(x: Decimal | Fraction | int | None, locale: str, desimal: int | None = None) -> str:
    """A number in the document's language; Decimals keep their own decimals by default."""
    if x is None:
        return "-"
    if desimal is None:
        exponent = x.normalize().as_tuple().exponent if isinstance(x, Decimal) else 0
        desimal = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_angka(x, desimal, locale)


def persen(x: Fraction | None, locale: str) -> str:
    return "-" if x is None else format_persen(x, 2, locale)


def lebar_isi(kertas: Kertas) -> float:
    return kertas.ukuran[0] - 2 * MARGIN


_GRID: list[Any] = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]


def tabel(header: Sequence[str], body: Sequence[Sequence[Any]], widths: Sequence[float],
          extra: Sequence[Any] = (), kepala: ParagraphStyle | None = None) -> Table:
    """A ruled table with a bold UPPERCASE header row repeated on every page.

    Cells that are flowables (or lists of them) stay; anything else becomes escaped text.
    """
    head = [Paragraph(escape(h.upper()), kepala or SEL_TEBAL) for h in header]
    rows = [[c if isinstance(c, Flowable | list) else p(c) for c in row] for row in body]
    # splitInRow: one cell (say a year of feedback on one RHK) may be taller than a page;
    # LongTable measures rows only as far as the page being filled (long annual forms).
    table = LongTable([head, *rows], colWidths=list(widths), repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([*_GRID, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                               *extra]))
    return table


def baris_label(pairs: Sequence[tuple[str, Any]], widths: Sequence[float]) -> Table:
    """Label/value lines without rules ("NAMA : Siti Aminah")."""
    data = [[p(k.upper(), SEL), p(":", SEL), p(v, SEL)] for k, v in pairs]
    table = Table(data, colWidths=list(widths))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 1),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                               ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    return table


def identitas_rows(who: Identitas | None, locale: str) -> list[tuple[str, Any]]:
    who = who or Identitas()
    return [(label("nama", locale), who.nama_lengkap), (label("nip", locale), who.nip_cetak),
            (label("pangkat", locale), who.pangkat_golongan),
            (label("jabatan", locale), who.jabatan), (label("unit_kerja", locale), who.unit_kerja)]


def blok_identitas(blocks: Sequence[tuple[str, Identitas | None]], kertas: Kertas,
                   locale: str) -> Table:
    """Identity blocks side by side (PEGAWAI YANG DINILAI | PEJABAT PENILAI KINERJA)."""
    total = lebar_isi(kertas)
    col = total / len(blocks)
    inner = [col * 0.36, col * 0.04, col * 0.60 - 6]
    head = [Paragraph(escape(title.upper()), SEL_TEBAL) for title, _ in blocks]
    body = [baris_label(identitas_rows(who, locale), inner) for _, who in blocks]
    table = Table([head, body], colWidths=[col] * len(blocks))
    table.setStyle(TableStyle([*_GRID]))
    return table


@dataclass(frozen=True)
class Penandatangan:
    """One signature block: its role line and the person (None when not known locally)."""

    peran: str
    orang: Identitas | None


def blok_tanda_tangan(kiri: Penandatangan | None, kanan: Penandatangan | None,
                      tempat_tanggal: str, kertas: Kertas, locale: str) -> Table:
    """Signature blocks: employee left, evaluator right; place and date above the right one.

    A person not known locally gets a dotted line to fill by hand; nothing is made up.
    """
    def block(sig: Penandatangan | None, top: str) -> list[Flowable]:
        if sig is None:
            return []
        who = sig.orang or Identitas()
        nama = who.nama_lengkap or "(" + "." * 40 + ")"
        nip = label("nip", locale) + " " + (who.nip_cetak or "-")
        return [p(top, SEL_TENGAH), p(sig.peran, SEL_TENGAH), Spacer(1, 16 * mm),
                Paragraph("<u>" + escape(nama) + "</u>", SEL_TENGAH), p(nip, SEL_TENGAH)]

    half = lebar_isi(kertas) / 2
    table = Table([[block(kiri, " "), block(kanan, tempat_tanggal)]], colWidths=[half, half])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


@dataclass(frozen=True)
class MetaPdf:
    """PDF document information; `locale` sets the catalog language (id-ID or en)."""

    title: str
    subject: str
    author: str
    locale: str

    @property
    def lang(self) -> str:
        return "id-ID" if self.locale == "id" else "en"


def _numbered_canvas(locale: str, lebar: float) -> type[Canvas]:
    """A canvas that defers pages so each footer can say "Halaman 1 dari N"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab internal, untyped

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                text = label("halaman", locale).format(n=self.getPageNumber(), total=total)
                self.drawCentredString(lebar / 2, 10 * mm, text)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Flowable], meta: MetaPdf, kertas: Kertas) -> bytes:
    """Lay out `story` on `kertas` and return the finished PDF (in memory only)."""
    register_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=kertas.ukuran, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, title=meta.title,
        author=meta.author, subject=meta.subject, creator="asndesk", lang=meta.lang,
    )
    doc.build(story, canvasmaker=_numbered_canvas(meta.locale, kertas.ukuran[0]))
    return buffer.getvalue()
