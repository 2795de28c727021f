"""The files that go into the packages: the Windows Inno Setup script is fully filled in, and
install.sh / the menu entry template are well-formed (no build needed)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import installers  # noqa: E402


def test_inno_script_is_filled_in(tmp_path: Path) -> None:
    text = installers.inno_script("1.2.3", tmp_path / "dist", tmp_path / "asndesk.ico",
                                  tmp_path / "bundle")
    assert re.search(r"@[A-Z_]+@", text) is None  # every @PLACEHOLDER@ filled
    assert "AppVersion=1.2.3" in text
    assert "OutputBaseFilename=asndesk-1.2.3-windows-setup" in text
    assert f'Source: "{tmp_path / "bundle"}\\*"' in text
    assert f"SetupIconFile={tmp_path / 'asndesk.ico'}" in text
    # Per-user by default, all users on request; old libraries removed before an update.
    assert "PrivilegesRequired=lowest" in text
    assert "PrivilegesRequiredOverridesAllowed=dialog" in text
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in text


def test_inno_script_refuses_an_unfilled_placeholder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "windows" / "asndesk.iss.in"
    template.parent.mkdir()
    template.write_text("AppVersion=@VERSION@\nAppPublisher=@PUBLISHER@\n")
    monkeypatch.setattr(installers, "PACKAGING", tmp_path)
    with pytest.raises(ValueError, match="@PUBLISHER@"):
        installers.inno_script("1", tmp_path, tmp_path, tmp_path)


def test_install_sh_is_valid_shell_and_explains_itself(tmp_path: Path) -> None:
    script = ROOT / "packaging" / "linux" / "install.sh"
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0
    done = subprocess.run(["sh", str(script), "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "--system" in done.stdout and "--uninstall" in done.stdout
    done = subprocess.run(["sh", str(script), "--bogus"], capture_output=True, text=True)
    assert done.returncode == 2 and "--bogus" in done.stderr
    if shutil.which("shellcheck"):
        assert subprocess.run(["shellcheck", str(script)]).returncode == 0


def test_menu_entry_template_has_the_required_keys() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging" / "linux" / "asndesk.desktop.in")
    desktop = entry["Desktop Entry"]
    for key in ("Type", "Name", "Exec", "Icon", "Categories", "Comment[id]"):
        assert desktop[key], key
    assert "@APP_DIR@" in desktop["Exec"] and desktop["Icon"] == "@ICON@"
