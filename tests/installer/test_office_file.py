"""office.json: every setting is checked with a message naming the key, and the file is found
in the data home, beside the installed app, or baked into the bundle (in that order)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from asndesk import office_file
from asndesk.cli import main
from asndesk.office_file import OfficeConfigError, load_office_config, parse_office_config
from tests.ui.conftest import desktop  # noqa: F401 (the app's runner, for the Qt tests)

PIN = "sha256/" + base64.b64encode(hashlib.sha256(b"office key").digest()).decode()
GOOD: dict[str, Any] = {
    "format": 1,
    "server_url": "https://skp.bkpsdm.contoh.go.id/",
    "office_name": "BKPSDM Kota Contoh",
    "office_code": "3271-bkpsdm",
    "public_key_pin": PIN,
    "policy": {"auto_lock_minutes": 5, "max_days_offline": 14},
}


def office_ca() -> str:
    """A real self-signed CA certificate in PEM (what an office with its own CA hands out)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA BKPSDM Kota Contoh")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def parse(data: Any) -> office_file.OfficeConfig:
    text = data if isinstance(data, str) else json.dumps(data)
    return parse_office_config(text, Path("/media/usb/office.json"))


def test_a_complete_file_is_read() -> None:
    config = parse({**GOOD, "ca_certificate": office_ca()})
    assert config.server_url == "https://skp.bkpsdm.contoh.go.id"
    assert (config.office_name, config.office_code) == ("BKPSDM Kota Contoh", "3271-bkpsdm")
    assert config.public_key_pin == PIN
    assert config.ca_certificate.startswith("-----BEGIN CERTIFICATE-----")
    assert config.policy == office_file.OfficePolicy(auto_lock_minutes=5, max_days_offline=14)


def test_the_minimal_file_and_a_local_test_server_are_accepted() -> None:
    config = parse({"server_url": "http://127.0.0.1:8470", "office_name": "Uji"})
    assert config.server_url == "http://127.0.0.1:8470"
    assert config.office_code == "" and config.public_key_pin == ""
    assert config.policy == office_file.OfficePolicy()


def changed(**changes: Any) -> dict[str, Any]:
    data = {**GOOD, **changes}
    return {k: v for k, v in data.items() if v is not None}


def policy(**changes: Any) -> dict[str, Any]:
    return {**GOOD, "policy": {**GOOD["policy"], **changes}}


BAD = [
    ("{ not json", "JSON"),
    ("[1, 2]", "server_url"),
    (changed(server_url=None), "server_url"),
    (changed(server_url="skp.contoh.go.id"), "server_url"),
    (changed(server_url="ftp://skp.contoh.go.id"), "server_url"),
    (changed(server_url="https://skp.contoh.go.id:port"), "server_url"),
    (changed(server_url="http://skp.contoh.go.id"), "https://"),
    (changed(office_name=None), "office_name"),
    (changed(office_name="   "), "office_name"),
    (changed(office_name=42), "office_name"),
    (changed(office_name="x" * 201), "office_name"),
    (changed(office_code="32 71"), "office_code"),
    (changed(format=2), "format"),
    (changed(server_ulr="https://typo.go.id"), "server_ulr"),
    (changed(public_key_pin="AbC123"), "public_key_pin"),
    (changed(public_key_pin="sha256/not base64!"), "public_key_pin"),
    (changed(public_key_pin="sha256/" + base64.b64encode(b"short").decode()), "public_key_pin"),
    (changed(ca_certificate="my CA"), "ca_certificate"),
    (changed(ca_certificate="-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
     "ca_certificate"),
    (changed(server_url="http://127.0.0.1:8470"), "public_key_pin"),
    (changed(policy=[5]), "policy"),
    (policy(idle_minutes=5), "policy.idle_minutes"),
    (policy(auto_lock_minutes=0), "policy.auto_lock_minutes"),
    (policy(auto_lock_minutes=121), "policy.auto_lock_minutes"),
    (policy(auto_lock_minutes="10"), "policy.auto_lock_minutes"),
    (policy(auto_lock_minutes=True), "policy.auto_lock_minutes"),
    (policy(auto_lock_minutes=7.5), "policy.auto_lock_minutes"),
    (policy(max_days_offline=0), "policy.max_days_offline"),
    (policy(max_days_offline=366), "policy.max_days_offline"),
]


@pytest.mark.parametrize(("data", "names"), BAD, ids=[f"{i}-{n}" for i, (_d, n) in
                                                       enumerate(BAD)])
def test_a_bad_file_is_refused_naming_the_setting(data: Any, names: str) -> None:
    with pytest.raises(OfficeConfigError) as caught:
        parse(data)
    message = str(caught.value)
    assert "/media/usb/office.json" in message  # which file
    assert names in message, message  # which setting


def test_unknown_keys_are_listed_with_the_known_ones() -> None:
    with pytest.raises(OfficeConfigError) as caught:
        parse(changed(server_ulr="x", ca_pin="y"))
    message = str(caught.value)
    assert '"ca_pin", "server_ulr"' in message
    assert "server_url" in message and "public_key_pin" in message


# -- where the file is found ---------------------------------------------------------------------
@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be the installed bundle: <app>/asndesk with its files in <app>/_internal."""
    app = tmp_path / "app"
    (app / "_internal" / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app / "asndesk"))
    monkeypatch.setattr(sys, "_MEIPASS", str(app / "_internal"), raising=False)
    return app


def write(path: Path, **changes: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(changed(**changes)), encoding="utf-8")
    return path


def test_no_file_means_no_office(installed: Path, home: Path) -> None:
    assert load_office_config(home) is None


def test_the_baked_in_file_is_used(installed: Path, home: Path) -> None:
    baked = write(installed / "_internal" / "resources" / "office.json", office_name="Baked")
    assert office_file.baked_office_file() == baked
    config = load_office_config(home)
    assert config is not None and (config.office_name, config.source) == ("Baked", baked)


def test_a_file_beside_the_app_wins_over_the_baked_one(installed: Path, home: Path) -> None:
    write(installed / "_internal" / "resources" / "office.json", office_name="Baked")
    beside = write(installed / "office.json", office_name="Beside")
    config = load_office_config(home)
    assert config is not None and (config.office_name, config.source) == ("Beside", beside)
    mine = write(home / "office.json", office_name="Mine")
    config = load_office_config(home)
    assert config is not None and (config.office_name, config.source) == ("Mine", mine)


def test_a_broken_file_beside_the_app_is_reported_not_skipped(installed: Path,
                                                              home: Path) -> None:
    write(installed / "_internal" / "resources" / "office.json")
    (installed / "office.json").write_text('{"server_url": "http://kantor.go.id"}')
    with pytest.raises(OfficeConfigError, match="https://") as caught:
        load_office_config(home)
    assert str(installed / "office.json") in str(caught.value)
    (installed / "office.json").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(OfficeConfigError, match="UTF-8"):
        load_office_config(home)


def test_from_source_the_file_beside_the_app_is_the_tree_root() -> None:
    root = Path(office_file.__file__).resolve().parent.parent
    assert office_file.office_config_paths(Path("/h")) == [
        Path("/h/office.json"), root / "office.json", root / "resources" / "office.json"]


def test_cli_shows_the_baked_in_office(installed: Path, home: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    write(installed / "_internal" / "resources" / "office.json")
    assert main(["--lang", "en", "office", "show"]) == 0
    out = capsys.readouterr().out
    assert "BKPSDM Kota Contoh" in out and "https://skp.bkpsdm.contoh.go.id" in out
    assert "Auto-lock (minutes): 5" in out and PIN in out


def test_cli_check_reports_a_bad_file(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "office.json", policy={"auto_lock_minutes": 500})
    assert main(["--lang", "en", "office", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "policy.auto_lock_minutes" in err and "500" in err
    good = write(tmp_path / "good.json")
    assert main(["--lang", "en", "office", "check", str(good)]) == 0
    assert "valid" in capsys.readouterr().out


def test_the_connect_step_uses_the_baked_in_file(installed: Path, home: Path, qtbot,
                                                 desktop) -> None:
    """What the person sees: the office's name, and its address already filled in."""
    from tests.ui.conftest import wait_idle
    from ui.server_login_dialog import ServerLoginForm

    write(installed / "_internal" / "resources" / "office.json")
    form = ServerLoginForm(desktop.runner, desktop.announcer, lambda: None, nip="",
                           name="office_test")
    qtbot.addWidget(form)
    form.load_office(home)
    wait_idle(qtbot, desktop)
    assert form.url.text() == "https://skp.bkpsdm.contoh.go.id"
    assert "BKPSDM Kota Contoh" in form.office.text()


def test_the_connect_step_shows_why_a_file_is_refused(installed: Path, home: Path, qtbot,
                                                      desktop) -> None:
    from tests.ui.conftest import wait_idle
    from ui.server_login_dialog import ServerLoginForm

    write(installed / "office.json", policy={"auto_lock_minutes": 0})
    form = ServerLoginForm(desktop.runner, desktop.announcer, lambda: None, nip="",
                           name="office_test")
    qtbot.addWidget(form)
    form.load_office(home)
    wait_idle(qtbot, desktop)
    assert form.url.text() == ""
    assert str(installed / "office.json") in form.office.text()
    assert "policy.auto_lock_minutes" in form.office.text()
