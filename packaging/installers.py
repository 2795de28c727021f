"""The installable packages made from a built bundle: the Linux .tar.gz (install.sh, menu
entry, icon) and the Windows Inno Setup script and setup.exe. Used by build_installer.py."""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
ICON = ROOT / "resources" / "icons" / "asndesk.png"


def package_linux(bundle: Path, version: str, dist: Path, work: Path) -> Path:
    """asndesk-<v>-linux-<arch>.tar.gz: asndesk-<v>/{app/, install.sh, .desktop, icon}."""
    name = f"asndesk-{version}"
    archive = dist / f"{name}-linux-{platform.machine()}.tar.gz"
    tmp = archive.with_suffix(".part")

    def executable(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(tmp, "w:gz", compresslevel=9) as tar:
        tar.add(bundle, arcname=f"{name}/app", filter=executable)
        for source, target in ((PACKAGING / "linux" / "install.sh", "install.sh"),
                               (PACKAGING / "linux" / "asndesk.desktop.in", "asndesk.desktop.in"),
                               (ICON, "asndesk.png")):
            data = source.read_bytes().replace(b"@VERSION@", version.encode())
            staged = work / "package" / target
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
            staged.chmod(0o755 if target.endswith(".sh") else 0o644)
            tar.add(staged, arcname=f"{name}/{target}", filter=executable)
    tmp.replace(archive)
    return archive


def inno_script(version: str, dist: Path, ico: Path, bundle: Path) -> str:
    """packaging/windows/asndesk.iss.in with this build's version and paths filled in."""
    text = (PACKAGING / "windows" / "asndesk.iss.in").read_text(encoding="utf-8")
    for key, value in (("VERSION", version), ("OUTPUT_DIR", str(dist)),
                       ("ICON_ICO", str(ico)), ("BUNDLE_DIR", str(bundle))):
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise ValueError(f"asndesk.iss.in: unfilled {', '.join(sorted(set(leftover)))}")
    return text


def package_windows(python: Path, bundle: Path, version: str, dist: Path,
                    work: Path) -> Path | None:
    """Write the Inno Setup script; compile it when `iscc` is on PATH (Windows only)."""
    ico = work / "asndesk.ico"
    subprocess.run([str(python), "-c", "import sys; from PIL import Image; "
                    "Image.open(sys.argv[1]).save(sys.argv[2], sizes=[(16, 16), (32, 32), "
                    "(48, 48), (256, 256)])", str(ICON),
                    str(ico)], check=True)
    script = work / "asndesk.iss"
    script.write_text(inno_script(version, dist, ico, bundle), encoding="utf-8")
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print(f"[build_installer] wrote {script}; iscc (Inno Setup 6) is not on PATH, so no "
              "setup.exe was compiled (see docs/installer.md)", flush=True)
        return None
    subprocess.run([iscc, "/Q", str(script)], check=True)
    return dist / f"asndesk-{version}-windows-setup.exe"
