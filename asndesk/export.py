"""Export all of a profile's own data, for its owner, as JSON or CSV (UU 27/2022 access right).

Files are written only to the path the person chose, without temporary copies, and each
export is audited (what and when, never the content).
"""

from __future__ import annotations

import base64
import csv
import json
import os
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asndesk.errors import ValidationError
from asndesk.i18n import N_
from asndesk.store import export_repo

if TYPE_CHECKING:
    from asndesk.store.database import Store, WriteTx

EXPORT_FORMAT = "asndesk-export"
EXPORT_VERSION = 1


class ExportUseCases:
    store: Store
    owner_nip: str

    def _write(self) -> AbstractContextManager[WriteTx]:  # provided by Workspace
        raise NotImplementedError

    def export_data(self, include_files: bool = True) -> dict[str, Any]:
        """Everything the profile holds about its owner as one JSON-ready dict."""
        conn = self.store.conn
        tables = {
            table: [dict(zip(columns, row, strict=True)) for row in data]
            for table, columns, data in export_repo.export_rows(conn, self.owner_nip)
        }
        result: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "pemilik_nip": self.owner_nip,
            "tables": tables,
        }
        if include_files:
            result["files"] = {
                attachment_id: {"nama_file": name, "base64": base64.b64encode(data).decode()}
                for attachment_id, name, data in export_repo.attachment_blobs(conn)
            }
        return result

    def export_json(self, path: Path) -> Path:
        """Write the export as one JSON file at `path` (refuses to overwrite)."""
        data = self.export_data()
        with _create_exclusive(path) as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        self._audit_export("json")
        return path

    def export_csv(self, folder: Path) -> Path:
        """Write one CSV per table (UTF-8 with BOM, so spreadsheet apps read it) and the files."""
        if folder.exists() and any(folder.iterdir()):
            raise ValidationError("out", "not_empty",
                                  N_("The folder {path} is not empty; choose an empty one."),
                                  path=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        conn = self.store.conn
        for table, columns, data in export_repo.export_rows(conn, self.owner_nip):
            with _create_exclusive(folder / f"{table}.csv", newline="", bom=True) as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                writer.writerows(data)
        files = folder / "lampiran"
        for attachment_id, name, blob in export_repo.attachment_blobs(conn):
            files.mkdir(exist_ok=True)
            # The id prefix keeps two evidence files with the same name apart.
            (files / f"{attachment_id}-{Path(name).name}").write_bytes(blob)
        self._audit_export("csv")
        return folder

    def _audit_export(self, fmt: str) -> None:
        with self._write() as tx:
            tx.audit(f"export.{fmt}")


class _create_exclusive:
    """Open a new text file for writing; an existing file is an error, not overwritten."""

    def __init__(self, path: Path, newline: str | None = None, bom: bool = False) -> None:
        self.path, self.newline, self.bom = path, newline, bom

    def __enter__(self) -> Any:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise ValidationError("out", "exists",
                                  N_("The file {path} already exists; choose another name."),
                                  path=str(self.path)) from None
        except OSError as exc:
            raise ValidationError("out", "cannot_write", N_("Cannot write to {path}: {reason}."),
                                  path=str(self.path), reason=exc.strerror or "") from None
        self.fh = open(fd, "w", encoding="utf-8-sig" if self.bom else "utf-8",
                       newline=self.newline)
        return self.fh

    def __exit__(self, *exc: object) -> None:
        self.fh.close()
