#!/usr/bin/env python3
"""Build the asndesk installer: a PyInstaller one-folder bundle from a clean virtualenv, pruned
of the Qt parts the app never uses, packaged as a Linux .tar.gz (install.sh, .desktop, icon)
or a Windows Inno Setup installer. Reports sizes and build time against the targets.

    python3 build_installer.py [--office office.json] [--package-version V] [--reuse-bundle]

See docs/installer.md. Outputs go to dist/; the build venv and PyInstaller's work to build/.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
WORK = ROOT / "build" / "installer"
DIST = ROOT / "dist"
PACKAGING = ROOT / "packaging"
WINDOWS = sys.platform == "win32"
sys.path.insert(0, str(PACKAGING))  # packaging/ holds this script's helpers (not a package)
import icu_data  # noqa: E402
import installers  # noqa: E402

TARGET_UNPACKED_MB, TARGET_ARCHIVE_MB, TARGET_BUILD_S = 160, 70, 180
MB, MIB = 1000 * 1000, 1024 * 1024  # targets are checked in decimal MB, the stricter reading

# What the bundle must not carry. Plugins are matched on their path under PySide6/Qt/plugins;
# libraries no kept file links to are then dropped by the dependency walk (`prune_unlinked_libs`).
DROP_PLUGINS = (
    "platforms/*eglfs*", "platforms/*linuxfb*", "platforms/*minimal*", "platforms/*vnc*",
    "platforms/*vkkhrdisplay*", "egldeviceintegrations", "generic",
    "platformthemes/*gtk*",  # the build host's GTK would come along (stack-notes.md)
    "platforminputcontexts/*virtualkeyboard*",  # pulls in QtQuick + QML (~20 MB)
    "imageformats/*icns*", "imageformats/*tga*", "imageformats/*wbmp*", "imageformats/*pdf*",
    # Qt itself only decodes the shipped PNG/SVG icons (built in / qsvg); evidence images go
    # through Pillow and PDFs through PDFium: JPEG, WebP, TIFF, GIF and ICO readers are unused.
    "imageformats/*qjpeg*", "imageformats/*qwebp*", "imageformats/*qtiff*",
    "imageformats/*qgif*", "imageformats/*qico*",
    "tls", "networkinformation", "qmltooling", "multimedia", "sqldrivers", "position",
    "webview", "renderers", "sceneparsers", "geometryloaders", "assetimporters",
    # Wayland sessions run the app through XWayland (Qt falls back to xcb): 2.5 MB less.
    "platforms/*wayland*", "wayland-*",
)
# The app installs no QTranslator (its strings are gettext), so Qt's own .qm files are dead
# weight; QML, WebEngine and Multimedia are never imported.
DROP_TREES = ("PySide6/Qt/translations", "PySide6/Qt/qml", "PySide6/Qt/libexec",
              "PySide6/Qt/resources/qtwebengine*")
EXCLUDE_MODULES = ("tkinter", "PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtWebEngineCore",
                   "PySide6.QtMultimedia", "PySide6.QtNetwork", "PySide6.Qt3DCore",
                   # QtCharts stays (the Dasbor page draws with it); its Qt library links
                   # Qt's OpenGL ones, but the app never imports their Python bindings (9 MB)
                   "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
                   # Qt talks D-Bus (AT-SPI) in C++; the Python binding is never imported
                   "PySide6.QtDBus",
                   # Install-time tools and help texts, never imported at run time
                   "setuptools", "pkg_resources", "distutils", "_distutils_hack", "pydoc_data",
                   "PySide6.QtDesigner", "pytest", "IPython",
                   # AVIF (5 MB of codec) is not an evidence format; Tk is not used
                   "PIL._avif", "PIL.AvifImagePlugin", "PIL._imagingtk", "PIL.ImageTk",
                   # zstandard's C backend is the one used; its cffi twin is 1 MB more
                   "zstandard.backend_cffi", "zstandard._cffi",
                   # The bundled server runs on SQLite; PostgreSQL (libpq + its own OpenSSL,
                   # 10 MB) is for office servers installed with pip (docs/installer.md)
                   "psycopg", "psycopg_binary", "psycopg_c",
                   # Not used: a terminal line editor, East-Asian codecs, colour profiles
                   "readline", "_codecs_cn", "_codecs_hk", "_codecs_jp", "_codecs_kr",
                   "_codecs_tw", "_codecs_iso2022", "PIL.ImageCms", "PIL._imagingcms")
RESOURCE_SKIP = (".po", ".pot", ".md")
# Loaded with dlopen (not linked), so the dependency walk cannot see that they are used.
KEEP_LIBS = ("libpython", "libdbus-1", "libshiboken6", "libpyside6")
# Babel's CLDR data for ~1,100 locales is 35 MB; documents are only ever in Indonesian or
# English, and every format call passes its locale (root is the fallback parent of both).
BABEL_KEEP = ("root.dat", "en.dat", "en_US.dat", "en_001.dat", "id.dat", "id_ID.dat")


def log(message: str) -> None:
    print(f"[build_installer] {message}", flush=True)


def app_version() -> str:
    text = (ROOT / "asndesk" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if not found:
        raise SystemExit("asndesk/__init__.py has no __version__")
    return found.group(1)


def check_office_file(python: Path, path: Path) -> None:
    """Refuse to bake a broken office.json: the app's own check (`asndesk office check`), run
    in the build venv, so the messages are exactly what the person would see."""
    done = subprocess.run([str(python), "-m", "asndesk", "office", "check", str(path)],
                          check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"build_installer: {done.stderr.strip() or done.stdout.strip()}")


# -- the clean build environment ---------------------------------------------------------------
def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if WINDOWS else "bin/python")


def _uv() -> list[str] | None:
    """uv (a dev dependency), when present: it makes the build venv in about 10 s where
    `venv` + pip take about 75 s (docs/benchmarks.md); pip stays the fallback."""
    if importlib.util.find_spec("uv") is None:
        return None
    return [sys.executable, "-m", "uv"]


def ensure_venv(venv: Path, work: Path) -> Path:
    """A venv with only the app (+ its server extra) and PyInstaller: no dev tools, so nothing
    from them can end up in the bundle. Made again when the `[project]` part of pyproject.toml
    changes; the project itself is reinstalled every time (cheap): the bundle has today's code."""
    python = venv_python(venv)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    wanted = hashlib.sha256(project.split("\n[tool.", 1)[0].encode()).hexdigest()
    stamp = venv / ".asndesk-deps"
    uv = _uv()
    if uv is not None:
        install = [*uv, "pip", "install", "-q", "--python", str(python)]
        refresh = [*install, "--no-deps", "--reinstall", str(ROOT)]
    else:
        install = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                   "--no-compile"]  # PyInstaller compiles what it bundles
        refresh = [*install, "--no-deps", "--force-reinstall", str(ROOT)]
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        # From scratch when the dependencies changed: an upgrade in place would leave
        # packages the project no longer asks for, and PyInstaller would bundle them.
        log(f"creating {venv} with the app's dependencies and PyInstaller"
            f"{' (uv)' if uv else ''}")
        if uv is not None:
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([*uv, "venv", "-q", "--python", sys.executable, str(venv)],
                           check=True)
        else:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([*install, f"{ROOT}[server]", "pyinstaller>=6"], check=True)
        stamp.write_text(wanted)
    subprocess.run(refresh, check=True, cwd=work)
    return python


def stage_resources(office: Path | None, work: Path) -> Path:
    """resources/ as shipped: fonts, calendars, icons and compiled catalogues (.mo only)."""
    stage = work / "resources"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(ROOT / "resources", stage,
                    ignore=shutil.ignore_patterns(*(f"*{ext}" for ext in RESOURCE_SKIP)))
    if not list(stage.glob("locale/*/LC_MESSAGES/*.mo")):
        raise SystemExit("build_installer: no compiled catalogues; run tools/i18n.py compile")
    if office is not None:
        shutil.copy(office, stage / "office.json")
    return stage


# -- PyInstaller ---------------------------------------------------------------------------------
def run_pyinstaller(python: Path, resources: Path, work: Path) -> Path:
    launcher = work / "asndesk_main.py"
    launcher.write_text("from asndesk.cli import main\n\nraise SystemExit(main())\n",
                        encoding="utf-8")
    site = Path(subprocess.run(
        [str(python), "-c", "import sync, pathlib; print(pathlib.Path(sync.__file__).parent)"],
        check=True, capture_output=True, text=True).stdout.strip())
    sep = os.pathsep
    command = [
        str(python), "-m", "PyInstaller", "--noconfirm", "--onedir", "--name", "asndesk",
        "--distpath", str(work / "dist"), "--workpath", str(work / "work"),
        "--specpath", str(work), "--log-level", "WARN",
        # `asndesk` finds ui/ and sync/ commands through entry points: their metadata and the
        # modules themselves are invisible to the import scan.
        "--copy-metadata", "asndesk", "--hidden-import", "ui.cli", "--hidden-import", "sync.cli",
        "--collect-data", "asndesk",
        # Alembic loads the server's migrations as files.
        "--add-data", f"{site / 'server' / 'migrations'}{sep}sync/server/migrations",
        "--add-data", f"{resources}{sep}resources",
    ]
    for module in EXCLUDE_MODULES:
        command += ["--exclude-module", module]
    if WINDOWS:  # one program for the CLI and the app; no console flashes from Explorer
        command += ["--hide-console", "hide-early",
                    "--icon", str(ROOT / "resources" / "icons" / "asndesk.png")]
    else:  # libpython, sqlcipher3 and zstandard come with symbols: 60 MB of them
        command.append("--strip")
    command.append(str(launcher))
    subprocess.run(command, check=True, cwd=work)
    return work / "dist" / "asndesk"


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _remove(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        size = 0 if path.is_symlink() else path.stat().st_size
        path.unlink()
        return size
    size = tree_size(path)
    shutil.rmtree(path)
    return size


def _needed(binary: Path) -> set[str]:
    """The DT_NEEDED entries of an ELF file (what the dynamic loader will ask for)."""
    out = subprocess.run(["readelf", "-d", str(binary)], check=False, capture_output=True,
                         text=True)
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out.stdout))


def prune_unlinked_libs(internal: Path) -> int:
    """Drop shared libraries that nothing kept links to: Qt's QtQuick/QML once the virtual
    keyboard plugin went, and the host's GTK/Pango/Cairo once the GTK theme plugin went.

    Roots are the Python extensions, Qt plugins and libpython; the candidates are the loose
    libraries PyInstaller put at the top and Qt's lib/ folder."""
    if WINDOWS or shutil.which("readelf") is None:
        return 0
    qt_lib = internal / "PySide6" / "Qt" / "lib"
    candidates = {p.name: p for p in [*internal.glob("lib*.so*"), *qt_lib.glob("lib*.so*")]
                  if p.is_file() and not p.name.startswith(KEEP_LIBS)}
    roots = [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()
             and p.name not in candidates]
    wanted: set[str] = set()
    todo = [name for root in roots for name in _needed(root)]
    while todo:
        name = todo.pop()
        if name in wanted or name not in candidates:
            continue
        wanted.add(name)
        todo.extend(_needed(candidates[name].resolve()))
    freed = sum(_remove(path) for name, path in candidates.items()
                if name not in wanted and path.exists() and not path.is_symlink())
    for link in internal.glob("lib*.so*"):  # PyInstaller's top-level links to removed files
        if link.is_symlink() and not link.exists():
            link.unlink()
    return freed


def prune_bundle(bundle: Path) -> int:
    internal = bundle / "_internal"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    freed = 0
    for pattern in DROP_PLUGINS:
        for path in plugins.glob(pattern):
            freed += _remove(path)
    for pattern in DROP_TREES:
        for path in internal.glob(pattern):
            freed += _remove(path)
    for path in (internal / "babel" / "locale-data").glob("*.dat"):
        if path.name not in BABEL_KEEP:
            freed += _remove(path)
    freed += prune_unlinked_libs(internal)
    return freed + shrink_icu_data(internal)


def shrink_icu_data(internal: Path) -> int:
    lib = next((internal / "PySide6" / "Qt" / "lib").glob("libicudata.so.*"), None)
    if lib is None or WINDOWS:
        return 0
    missing = icu_data.missing_tools()
    if missing:
        log(f"ICU data kept whole: {', '.join(missing)} not found (apt: icu-devtools binutils)")
        return 0
    return int(icu_data.shrink(lib.resolve()))


def self_test(bundle: Path) -> str:
    exe = bundle / ("asndesk.exe" if WINDOWS else "asndesk")
    done = subprocess.run([str(exe), "--self-test"], check=False, capture_output=True,
                          text=True, timeout=180)
    if done.returncode != 0:
        raise SystemExit(f"build_installer: the bundle's self-test failed:\n{done.stderr}")
    return done.stdout.strip()


# -- report ------------------------------------------------------------------------------------
def report(figures: dict[str, Any]) -> None:
    def line(label: str, value: float, unit: str, target: float, extra: str = "") -> str:
        verdict = "ok" if value <= target else "OVER TARGET"
        return (f"  {label:<22} {value:>8.1f} {unit:<3} target <= {target:g} {unit}  {verdict}"
                f"{extra}")

    print(f"asndesk {figures['version']} installer ({figures['platform']})")
    print(line("bundle, unpacked", figures["unpacked_mb"], "MB", TARGET_UNPACKED_MB,
               f"  ({figures['unpacked_mib']} MiB)"))
    if figures["archive_mb"] is not None:
        print(line("archive, compressed", figures["archive_mb"], "MB", TARGET_ARCHIVE_MB,
                   f"  ({figures['archive_mib']} MiB)"))
    print(line("build time", figures["build_s"], "s", TARGET_BUILD_S))
    print("  steps (s): " + ", ".join(f"{k} {v}" for k, v in figures["steps_s"].items()))
    print(f"  pruned: {figures['pruned_mb']} MB; self-test: {figures['self_test']}")
    for key in ("archive", "setup_script", "setup"):
        if figures.get(key):
            print(f"  {key}: {figures[key]}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--office", type=Path, help="office.json to bake into the package")
    parser.add_argument("--package-version", help="version in the package's name and VERSION "
                        "file (default: the app's version)")
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "venv",
                        help="the clean build virtualenv (default: build/venv)")
    parser.add_argument("--work", type=Path, default=WORK,
                        help="PyInstaller's work and the bundle (default: build/installer)")
    parser.add_argument("--dist", type=Path, default=DIST,
                        help="where the package and its build report go (default: dist/)")
    parser.add_argument("--reuse-bundle", action="store_true",
                        help="package the bundle of the last build again (no PyInstaller run)")
    parser.add_argument("--no-self-test", action="store_true",
                        help="skip running the bundle's --self-test after the build")
    return parser.parse_args(argv)


class Timer:
    """Named steps' durations, for the report."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.steps: dict[str, float] = {}
        self._mark = self.started

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.steps[name] = round(now - self._mark, 1)
        self._mark = now


def build_bundle(args: argparse.Namespace, python: Path, timer: Timer) -> tuple[Path, int]:
    bundle = args.work / "dist" / "asndesk"
    if not args.reuse_bundle:
        bundle = run_pyinstaller(python, stage_resources(args.office, args.work), args.work)
        timer.lap("pyinstaller")
        pruned = prune_bundle(bundle)
        timer.lap("prune")
        return bundle, pruned
    if not bundle.exists():
        raise SystemExit("build_installer: --reuse-bundle but no bundle was built yet")
    if args.office is not None:
        shutil.copy(args.office, bundle / "_internal" / "resources" / "office.json")
    return bundle, 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    timer = Timer()
    version = args.package_version or app_version()
    dist = args.dist.resolve()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    dist.mkdir(parents=True, exist_ok=True)
    python = ensure_venv(args.venv.resolve(), args.work)
    timer.lap("venv")
    if args.office is not None:
        check_office_file(python, args.office.resolve())
    bundle, pruned = build_bundle(args, python, timer)
    (bundle / "VERSION").write_text(version + "\n", encoding="utf-8")
    checked = "skipped"
    if not args.no_self_test:
        checked = self_test(bundle)
        timer.lap("self_test")

    figures: dict[str, Any] = {
        "version": version, "platform": f"{sys.platform}-{platform.machine()}",
        "bundle": str(bundle), "unpacked_mb": round(tree_size(bundle) / MB, 1),
        "unpacked_mib": round(tree_size(bundle) / MIB, 1), "archive_mib": None,
        "pruned_mb": round(pruned / MB, 1), "self_test": checked, "archive_mb": None,
        "targets": {"unpacked_mb": TARGET_UNPACKED_MB, "archive_mb": TARGET_ARCHIVE_MB,
                    "build_s": TARGET_BUILD_S},
    }
    if WINDOWS:
        setup = installers.package_windows(python, bundle, version, dist, args.work)
        figures["setup_script"] = str(args.work / "asndesk.iss")
        if setup is not None:
            size = setup.stat().st_size
            figures.update(setup=str(setup), archive_mb=round(size / MB, 1),
                           archive_mib=round(size / MIB, 1))
    else:
        archive = installers.package_linux(bundle, version, dist, args.work)
        size = archive.stat().st_size
        figures.update(archive=str(archive), archive_mb=round(size / MB, 1),
                       archive_mib=round(size / MIB, 1))
    timer.lap("package")
    figures["steps_s"] = timer.steps
    figures["build_s"] = round(time.monotonic() - timer.started, 1)
    figures["within_targets"] = (
        figures["unpacked_mb"] <= TARGET_UNPACKED_MB and figures["build_s"] <= TARGET_BUILD_S
        and (figures["archive_mb"] is None or figures["archive_mb"] <= TARGET_ARCHIVE_MB))
    (dist / f"asndesk-{version}-build.json").write_text(json.dumps(figures, indent=2) + "\n",
                                                        encoding="utf-8")
    report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
