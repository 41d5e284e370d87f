#!/usr/bin/env bash
# Headless Chromium for the evidence report's browser tests (test/output/*.chromium.test.ts):
# Debian's `chromium` package. Idempotent (a second run only checks the binary), non-interactive
# (CI=true, no stdin). Exits non-zero with one "install-chromium.sh: ERROR: ..." line when it
# cannot be installed. S3E_CHROMIUM names a browser installed elsewhere instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_DIR="$ROOT/.local/logs"
mkdir -p "$LOG_DIR"

die() { echo "install-chromium.sh: ERROR: $*" >&2; exit 1; }
log() { echo "install-chromium.sh: $*"; }

if [ -n "${S3E_CHROMIUM:-}" ]; then
  [ -x "$S3E_CHROMIUM" ] || die "S3E_CHROMIUM=$S3E_CHROMIUM is not an executable file"
  log "using S3E_CHROMIUM=$S3E_CHROMIUM"
  exit 0
fi
if [ -x /usr/bin/chromium ]; then
  log "chromium already installed"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "installing chromium needs root (apt-get); run as root, or install Debian's chromium, or set S3E_CHROMIUM"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install Chromium yourself and set S3E_CHROMIUM to it"
log "installing chromium via apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q </dev/null >"$LOG_DIR/install-chromium-apt-update.log" 2>&1 ||
  die "apt-get update failed (see .local/logs/install-chromium-apt-update.log)"
apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    chromium </dev/null >"$LOG_DIR/install-chromium-apt.log" 2>&1 ||
  die "apt-get install chromium failed (see .local/logs/install-chromium-apt.log)"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after installing the chromium package"
log "chromium installed"
