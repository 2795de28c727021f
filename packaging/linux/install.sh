#!/bin/sh
# Install asndesk @VERSION@ from this unpacked package, with no internet needed.
#   ./install.sh            per user (~/.local), or system-wide when run as root (/usr/local)
#   ./install.sh --user | --system [--prefix DIR]
#   ./install.sh --uninstall [--user | --system] [--prefix DIR]
# Installing over an older asndesk replaces the program only: profiles live in the data
# folder (~/.local/share/asndesk), never in the program folder, and are kept. An office.json
# that IT placed beside the old program is carried over.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
MODE=""
PREFIX=""
UNINSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --user) MODE=user ;;
    --system) MODE=system ;;
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }
              PREFIX=$2; shift ;;
    --prefix=*) PREFIX=${1#--prefix=} ;;
    --uninstall) UNINSTALL=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$MODE" ]; then
  if [ "$(id -u)" -eq 0 ]; then MODE=system; else MODE=user; fi
fi
if [ -z "$PREFIX" ]; then
  if [ "$MODE" = system ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
if [ "$MODE" = system ] && [ "$(id -u)" -ne 0 ] && [ ! -w "$PREFIX" ]; then
  echo "install.sh: a system-wide install needs root: sudo ./install.sh --system" >&2
  exit 1
fi

APP_DIR="$PREFIX/lib/asndesk"
BIN="$PREFIX/bin/asndesk"
DESKTOP="$PREFIX/share/applications/asndesk.desktop"
ICON="$PREFIX/share/icons/hicolor/256x256/apps/asndesk.png"

refresh_menus() {
  # Desktop menus pick the entry up by themselves; these only make it immediate.
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$PREFIX/share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 &&
    gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" 2>/dev/null || true
}

if [ "$UNINSTALL" -eq 1 ]; then
  rm -rf "$APP_DIR"
  rm -f "$BIN" "$DESKTOP" "$ICON"
  refresh_menus
  echo "asndesk was removed from $PREFIX. Profiles and data were kept."
  exit 0
fi

mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$(dirname "$DESKTOP")" "$(dirname "$ICON")"
# Copy next to the old program first and swap at the end: an interrupted update leaves the
# old version working.
STAGE="$PREFIX/lib/.asndesk-new.$$"
OLD="$PREFIX/lib/.asndesk-old.$$"
trap 'rm -rf "$STAGE"' EXIT
rm -rf "$STAGE"
cp -R "$HERE/app" "$STAGE"
if [ -f "$APP_DIR/office.json" ] && [ ! -f "$STAGE/office.json" ]; then
  cp -p "$APP_DIR/office.json" "$STAGE/office.json"
fi
if [ -d "$APP_DIR" ]; then
  mv "$APP_DIR" "$OLD"
fi
mv "$STAGE" "$APP_DIR"
rm -rf "$OLD"
trap - EXIT

ln -sf "$APP_DIR/asndesk" "$BIN"
cp "$HERE/asndesk.png" "$ICON"
sed -e "s|@APP_DIR@|$APP_DIR|g" -e "s|@ICON@|$ICON|g" "$HERE/asndesk.desktop.in" > "$DESKTOP"
chmod 644 "$DESKTOP" "$ICON"
refresh_menus

echo "asndesk $(cat "$APP_DIR/VERSION") is installed in $APP_DIR ($MODE)."
echo "Start it from the applications menu, or run: $BIN"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "($PREFIX/bin is not on your PATH; the menu entry works regardless.)" ;;
esac
