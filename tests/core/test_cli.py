"""`asndesk` end to end in a temporary ASNDESK_HOME, as a newcomer would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NIP = "198609262015051001"
PASSWORD = "kata sandi yang panjang"


class Cli:
    def __init__(self, home: Path) -> None:
        self.env = {**os.environ, "ASNDESK_HOME": str(home), "ASNDESK_PASSWORD": PASSWORD,
                    "ASNDESK_KDF": "floor", "ASNDESK_LANG": "en", "PYTHONPATH": str(ROOT)}

    def __call__(self, *args: str, code: int = 0, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "asndesk", *args], capture_output=True, text=True,
            env={**self.env, **env}, stdin=subprocess.DEVNULL, timeout=60,
        )
        assert result.returncode == code, (args, result.stdout, result.stderr)
        return result


def _last_id(out: str) -> str:
    return out.rsplit("id ", 1)[1].split(")", maxsplit=1)[0]


@pytest.mark.slow
def test_newcomer_flow(home: Path, tmp_path: Path) -> None:
    cli = Cli(home)
    # Plain `asndesk` opens the desktop app (tests/ui); the command line lists it first.
    assert "app" in cli("--help").stdout
    cli("profile", "list")
    created = cli("profile", "create", "--nip", "19860926 201505 1 001", "--nama", "Siti Aminah",
                  ASNDESK_NEW_PASSWORD=PASSWORD)
    assert "RECOVERY KEY" in created.stdout
    assert NIP in cli("profile", "list").stdout
    assert "opens the profile" in cli("profile", "unlock-test").stdout

    added = cli("log", "add", "--tanggal", "20/11/2026", "--mulai", "08.00", "--selesai", "10:30",
                "--kegiatan", "Merekam KTP-el warga Desa Sukamaju", "--output", "12",
                "--satuan", "Keping")
    log_id = _last_id(added.stdout)
    listed = cli("log", "list", "--cari", "rekam").stdout
    assert "Sukamaju" in listed and log_id in listed

    # Bad input: one clear line on stderr, exit 2, nothing written.
    before = cli("outbox", "list").stdout.strip().splitlines()[-1]
    bad = cli("log", "add", "--tanggal", "2026-11-20", "--mulai", "10:00", "--selesai", "09:00",
              "--kegiatan", "x", code=2)
    assert bad.stderr.count("\n") == 1 and "--selesai" in bad.stderr
    assert "Traceback" not in bad.stderr
    cli("log", "add", "--mulai", "08:00", "--selesai", "09:00", "--kegiatan", "x",
        "--bukti", str(tmp_path / "missing.pdf"), code=2)
    assert cli("outbox", "list").stdout.strip().splitlines()[-1] == before
    wrong = cli("log", "list", code=2, ASNDESK_PASSWORD="bukan sandinya")
    assert "password is wrong" in wrong.stderr

    cli("service", "type-add", "--kode", "KTP", "--nama", "Perekaman KTP-el", "--standar", "3")
    cli("service", "add", "--jenis", "KTP", "--diterima", "2026-11-20 09:00",
        "--selesai", "2026-11-25 10:00", "--kepuasan", "4")
    assert " 3 " in cli("service", "list").stdout

    skp_id = _last_id(cli("skp", "create", "--tahun", "2026").stdout)
    rhk_id = _last_id(cli("skp", "add-rhk", skp_id, "--teks", "Terlaksananya perekaman KTP-el",
                          "--rhk-atasan", "Meningkatnya cakupan KTP-el").stdout)
    not_ready = cli("skp", "submit", skp_id, code=2)
    assert "iki" in not_ready.stderr
    cli("skp", "add-iki", rhk_id, "--indikator", "KTP-el terekam", "--target", "1200",
        "--satuan", "Keping", "--aspek", "Kuantitas")
    cli("skp", "submit", skp_id)
    shown = cli("skp", "show").stdout
    assert "Diajukan" in shown and "Berorientasi Pelayanan" in shown and "1,200" in shown

    cli("training", "add", "--nama", "Pelatihan Pelayanan Prima", "--mulai", "2026-03-01",
        "--selesai", "2026-03-03", "--jp", "12")
    assert "12 of 20 JP" in cli("training", "list", "--tahun", "2026").stdout
    assert "entries verified" in cli("audit", "verify").stdout

    out = tmp_path / "data-saya.json"
    cli("export", "--format", "json", "--out", str(out))
    data = json.loads(out.read_text())
    assert data["pemilik_nip"] == NIP
    assert data["tables"]["log_harian"][0]["kegiatan"].startswith("Merekam")
    assert len(data["tables"]["service_log"]) == 1
    cli("export", "--format", "json", "--out", str(out), code=2)  # never overwrites
    folder = tmp_path / "csv"
    cli("export", "--format", "csv", "--out", str(folder))
    assert "Sukamaju" in (folder / "log_harian.csv").read_text(encoding="utf-8-sig")

    # The store file holds no readable personal data.
    store = home / "profiles" / NIP
    for f in store.iterdir():
        if f.name.startswith("store.db"):
            raw = f.read_bytes()
            for canary in (b"Sukamaju", b"Siti Aminah", NIP.encode(), b"Perekaman"):
                assert canary not in raw, (f.name, canary)

    cli("profile", "passwd", ASNDESK_NEW_PASSWORD="sandi baru yang panjang")
    cli("profile", "unlock-test", code=2)
    cli("profile", "unlock-test", ASNDESK_PASSWORD="sandi baru yang panjang")
    cli("profile", "delete", code=2)  # no --yes and no terminal: refused
    cli("profile", "delete", "--yes")
    assert "no profile" in cli("profile", "list").stdout


def test_indonesian_is_the_default_language(home: Path) -> None:
    cli = Cli(home)
    env = {k: v for k, v in cli.env.items() if k != "ASNDESK_LANG"}
    result = subprocess.run([sys.executable, "-m", "asndesk", "log", "list"],
                            capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                            timeout=60)
    assert result.returncode == 2
    assert "profil" in result.stderr.lower()


@pytest.mark.slow
def test_realisasi_and_periods(home: Path) -> None:
    cli = Cli(home)
    cli("profile", "create", "--nip", NIP, "--nama", "Siti", ASNDESK_NEW_PASSWORD=PASSWORD)
    periods = cli("periode", "list", "--tahun", "2026").stdout
    assert "2026-TW1" in periods and "2026-TH" in periods
    skp_id = _last_id(cli("skp", "create", "--tahun", "2026").stdout)
    rhk_id = _last_id(cli("skp", "add-rhk", skp_id, "--teks", "RHK", "--rhk-atasan", "A").stdout)
    iki_id = _last_id(cli("skp", "add-iki", rhk_id, "--indikator", "Dokumen", "--target", "4",
                          "--satuan", "Dokumen", "--aspek", "Kuantitas").stdout)
    cli("realisasi", "add", iki_id, "--periode", "2026-TW1", "--uraian", "1 dokumen selesai",
        "--nilai", "1", "--tautan", "https://drive.example/bukti")
    missing = cli("realisasi", "add", iki_id, "--periode", "2026-XX", "--uraian", "x", code=2)
    assert "2026-XX" in missing.stderr
