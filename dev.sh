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
APT_RUN="python3-venv libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0 fonts-dejavu-core"
APT_TEST="$APT_RUN poppler-utils"
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

cmd=${1:-}
shift || true
case "$cmd" in
  run)
    ensure_apt "$APT_RUN"
    ensure_venv
    if [ $# -eq 0 ]; then set -- welcome; fi
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
    echo "== pytest";        exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh run [asndesk arguments…] | ./dev.sh test [pytest arguments…]" >&2
    exit 2
    ;;
esac
