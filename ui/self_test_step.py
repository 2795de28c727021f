"""The desktop part of `asndesk --self-test`: Qt starts offscreen, finds fonts, lays out a
translated widget and renders the self-test's PDF with QtPdf (the report preview's engine).

Qt is imported inside the step: registering it must not load Qt for every `asndesk` command.
"""

from __future__ import annotations

from pathlib import Path

from asndesk.self_test import PDF_NAME


def qt_offscreen_step(scratch: Path) -> str:
    from PySide6.QtCore import QCollator, QLocale, QSize  # noqa: PLC0415
    from PySide6.QtGui import QFontDatabase, QImage  # noqa: PLC0415
    from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QLabel  # noqa: PLC0415

    from asndesk.i18n import _  # noqa: PLC0415

    app = QApplication.instance()
    if app is None:
        # -platform wins over a QT_QPA_PLATFORM=xcb in the environment: no screen needed.
        app = QApplication(["asndesk", "-platform", "offscreen"])
    if not QFontDatabase.families():
        raise RuntimeError("Qt found no fonts (install fonts-dejavu-core)")
    # Sorting names goes through ICU's collation data (trimmed in the bundle: still there?).
    if QCollator(QLocale("id")).compare("Budi", "Andi") <= 0:
        raise RuntimeError("Qt's collation (ICU data) does not work")
    label = QLabel(_("Saved (id {id}).").format(id="1"))
    label.adjustSize()
    if label.grab().toImage().isNull():
        raise RuntimeError("Qt could not draw a widget")
    document = QPdfDocument()
    error = document.load(str(scratch / PDF_NAME))
    if error != QPdfDocument.Error.None_ or document.pageCount() < 1:
        raise RuntimeError(f"QtPdf could not open the self-test PDF ({error.name})")
    page: QImage = document.render(0, QSize(300, 420))
    if page.isNull():
        raise RuntimeError("QtPdf could not render the self-test PDF")
    document.close()
    return f"Qt {QApplication.platformName()}"
