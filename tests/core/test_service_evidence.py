"""Evidence on a service log: stored as owner `log_layanan` (the name a sync pull uses), one
`attach` op on the `service_log` entity, and a bad file refusing the whole write."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from asndesk.errors import ValidationError
from asndesk.workspace import Workspace


def _photo(path: Path) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (3200, 2400), (30, 90, 160)).save(buf, format="JPEG", quality=95)
    path.write_bytes(buf.getvalue())
    return path


def test_service_log_evidence_is_downscaled_linked_and_queued(workspace: Workspace,
                                                              tmp_path: Path) -> None:
    workspace.add_service_type("KTP", "Perekaman KTP-el", 3)
    photo = _photo(tmp_path / "tanda_terima.jpg")
    entry = workspace.add_service_log("KTP", "2026-11-20 09:00", selesai="2026-11-25 10:00",
                                      bukti=[photo]).primary_id or ""
    evidence = workspace.evidence("log_layanan", entry)
    assert [(e["nama_file"], e["mime"]) for e in evidence] == [("tanda_terima.jpg",
                                                                  "image/jpeg")]
    assert evidence[0]["ukuran"] < photo.stat().st_size
    attach = [op for op in workspace.outbox() if op.kind == "attach"]
    assert [(op.entity_kind, op.entity_id) for op in attach] == [("service_log", entry)]
    assert attach[0].payload["sha256"] == evidence[0]["sha256"]


def test_a_bad_evidence_file_refuses_the_whole_service_log(workspace: Workspace,
                                                           tmp_path: Path) -> None:
    workspace.add_service_type("KTP", "Perekaman KTP-el", 3)
    broken = tmp_path / "rusak.png"
    broken.write_bytes(b"not an image")
    with pytest.raises(ValidationError) as err:
        workspace.add_service_log("KTP", "2026-11-20 09:00", bukti=[broken])
    assert err.value.field == "bukti"
    assert workspace.service_logs() == []
