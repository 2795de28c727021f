"""The first page of a PDF as an image, made in memory with QtPdf (no temporary file).

Runs on the IO lane: QtPdf serialises its PDFium calls itself, and a `QImage` (unlike a
`QPixmap`) may be made off the GUI thread and handed over.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

PREVIEW_WIDTH = 620
"""Pixels across the preview (before the screen's device pixel ratio)."""


@dataclass(frozen=True)
class PagePreview:
    image: QImage
    pages: int


class PreviewError(Exception):
    """QtPdf could not read the bytes (never expected for our own PDFs)."""


def first_page(pdf: bytes, width: int = PREVIEW_WIDTH, ratio: float = 1.0) -> PagePreview:
    """Page 1 of `pdf` rendered `width` logical pixels wide on white, and the page count."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise PreviewError(str(document.error()))
        points = document.pagePointSize(0)
        pixels = max(1, round(width * ratio))
        height = max(1, round(pixels * points.height() / points.width()))
        page = document.render(0, QSize(pixels, height))
        if page.isNull():
            raise PreviewError("empty page image")
        # PDFium leaves the paper transparent; a dark theme would show black on black.
        image = QImage(page.size(), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.drawImage(0, 0, page)
        painter.end()
        image.setDevicePixelRatio(ratio)
        return PagePreview(image=image, pages=document.pageCount())
    finally:
        document.close()
        buffer.close()
