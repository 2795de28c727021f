#!/usr/bin/env bash
# asndesk developer entry point. Two commands, both from a fresh Debian/Ubuntu clone:
#   ./dev.sh run [asndesk args…]   set up .venv and run the app (first-run flow for now)
#   ./dev.sh test                  set up .venv and run the whole test suite (lint, types, layers, tests)
# System libraries are installed with apt-get when run as root; otherwise the exact
# apt-get line is printed and the script stops.
set -euo pipefail
cd "$(dirname "$0")"

# Qt offscreen needs these even for headless tests (and fonts, or Qt draws empty boxes);
# the test suite also needs poppler (PDF checks); PostgreSQL is added by ensure_postgres.
APT_XCB="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxcb1 libxkbcommon-x11-0 libx11-xcb1"
APT_RUN="python3-venv libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0 fonts-dejavu-core $APT_XCB"
# The AT-SPI test runs the real app on xcb under Xvfb and reads it with Debian's pyatspi.
# binutils: PyInstaller (the installer test builds the bundle) needs objdump and friends.
APT_TEST="$APT_RUN poppler-utils $APT_XCB xvfb xauth at-spi2-core dbus python3-pyatspi binutils"
VENV=.venv

need_python() {
  local py
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null 2>&1 &&
       "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      PYTHON=$py; return 0
    fi
  done
  echo "asndesk needs Python 3.11 or newer (apt-get install -y python3)." >&2
  exit 1
}

ensure_apt() {
  local missing=() pkg
  command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian-like: trust the system
  for pkg in $1; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages. Run this as root, then try again:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

ensure_venv() {
  need_python
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  # Reinstall only when the project metadata (dependencies, entry points) changed, not on
  # every lint-config edit: hash pyproject.toml up to its first [tool.*] table.
  local stamp="$VENV/.asndesk-installed" want
  want=$(sed '/^\[tool\./,$d' pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[server,dev]"
    echo "$want" > "$stamp"
  fi
}

# The sync suite also runs against a real PostgreSQL. As root, start the local cluster and
# make a throw-away role and database; otherwise use $ASNDESK_TEST_PG if set, else say so.
ensure_postgres() {
  if [ -n "${ASNDESK_TEST_PG:-}" ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL tests will be skipped: run as root, or set ASNDESK_TEST_PG=postgresql+psycopg://…" >&2
    return 0
  fi
  ensure_apt postgresql
  local ver
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_lsclusters -h | grep -q "^$ver main" || pg_createcluster "$ver" main >/dev/null
  pg_ctlcluster "$ver" main start 2>/dev/null || true
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'asndesk_test'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE asndesk_test LOGIN PASSWORD 'asndesk_test'\""
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'asndesk_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O asndesk_test asndesk_test"
  # The tests drop and recreate the public schema: the test role must own both.
  su postgres -c "psql -q -d asndesk_test -c 'ALTER DATABASE asndesk_test OWNER TO asndesk_test' -c 'ALTER SCHEMA public OWNER TO asndesk_test'" >/dev/null
  export ASNDESK_TEST_PG="postgresql+psycopg://asndesk_test:asndesk_test@127.0.0.1/asndesk_test"
}

# The whole suite in two lanes at once, one per core: the Qt-free core and sync tests (which
# also use PostgreSQL) beside the desktop app and installer tests (Qt, SQLite servers only).
# Each lane's output is kept and printed whole when it ends; any failing lane fails the run.
run_lanes() {
  local logs pids=() names=("core+sync" "ui+installer") rc=0 i
  for i in tests/*/; do   # a new test folder must join a lane, or it would never run
    case "$i" in
      tests/core/|tests/sync/|tests/ui/|tests/installer/|tests/fixtures/|tests/__pycache__/) ;;
      *) echo "dev.sh: $i is in no test lane (add it to run_lanes)" >&2; return 1 ;;
    esac
  done
  logs=$(mktemp -d)
  "$VENV/bin/python" -m pytest -p no:cacheprovider tests/test_layering.py tests/core tests/sync \
    >"$logs/0.log" 2>&1 & pids+=($!)
  "$VENV/bin/python" -m pytest -p no:cacheprovider tests/ui tests/installer \
    >"$logs/1.log" 2>&1 & pids+=($!)
  for i in 0 1; do
    if wait "${pids[$i]}"; then status=passed; else status=FAILED; rc=1; fi
    echo "== pytest lane ${names[$i]}: $status"
    cat "$logs/$i.log"
  done
  rm -rf "$logs"
  return $rc
}

cmd=${1:-}
shift || true
case "$cmd" in
  run)
    ensure_apt "$APT_RUN"
    ensure_venv
    if [ $# -eq 0 ]; then set -- demo; fi   # the embedded demo office (see README)
    exec "$VENV/bin/asndesk" "$@"
    ;;
  test)
    ensure_apt "$APT_TEST"
    ensure_venv
    ensure_postgres
    export QT_QPA_PLATFORM=offscreen
    echo "== ruff";          "$VENV/bin/ruff" check .
    echo "== mypy";          "$VENV/bin/mypy"
    echo "== import-linter"; "$VENV/bin/lint-imports"
    if [ $# -gt 0 ]; then
      echo "== pytest";      exec "$VENV/bin/python" -m pytest "$@"
    fi
    run_lanes
    ;;
  *)
    echo "usage: ./dev.sh run [asndesk arguments…] | ./dev.sh test [pytest arguments…]" >&2
    exit 2
    ;;
esac
