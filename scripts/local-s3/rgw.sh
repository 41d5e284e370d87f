#!/usr/bin/env bash
# Single-node Ceph RGW 16.2 (one mon, one memstore OSD, no mgr, pool size 1, cephx) with the
# radosgw S3 endpoint (beast) bound to 127.0.0.1.
#   scripts/local-s3/rgw.sh start|stop|status
# start: builds a fresh cluster under .local/rgw/ (old data is wiped), picks free ports, waits until
# S3 answers, writes .local/rgw.env:
#   S3E_RGW_ENDPOINT, S3E_RGW_REGION, S3E_RGW_ACCESS_KEY, S3E_RGW_SECRET_KEY,
#   S3E_RGW_KMS_KEYS (comma-separated key ids of the 'testing' KMS backend: s3e-key-1,s3e-key-2)
# Starting twice is safe (reuses the running one). stop kills only the PIDs in .local/rgw/*.pid.
# Needs scripts/local-s3/install.sh first (Debian ceph packages).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE="$S3E_LOCAL/rgw"           # conf, keyring, mon/osd data, pid files, logs
ENVFILE="$S3E_LOCAL/rgw.env"
CONF="$STATE/ceph.conf"
KEYRING="$STATE/keyring"
RUNDIR_FILE="$STATE/rundir"      # names the short /tmp dir holding admin sockets (< 107 bytes)
RGW_NAME="client.rgw.s3e"
ACCESS_KEY="S3ETESTACCESSKEY0001"
SECRET_KEY="s3eTestSecretKey0000000000000000000000001"
KMS_KEYS=(s3e-key-1 s3e-key-2)
# daemon -> what its cmdline must contain before we kill it
DAEMONS=(rgw osd mon)
declare -A SIG=([mon]="ceph-mon" [osd]="ceph-osd" [rgw]="radosgw")

die() {
  echo "rgw.sh: ERROR: $*" >&2
  exit 1
}
log() { echo "rgw.sh: $*"; }

running() {
  local d ep
  for d in "${DAEMONS[@]}"; do
    pidfile_alive "$STATE/$d.pid" "${SIG[$d]}" || return 1
  done
  [ -f "$ENVFILE" ] || return 1
  ep="$(sed -n 's/^S3E_RGW_ENDPOINT=//p' "$ENVFILE")"
  http_answers "$ep/"
}

kill_all() {
  local d
  for d in "${DAEMONS[@]}"; do
    kill_pidfile "$STATE/$d.pid" "${SIG[$d]}"
  done
  if [ -f "$RUNDIR_FILE" ]; then
    local rd
    rd="$(cat "$RUNDIR_FILE")"
    case "$rd" in /tmp/s3e-rgw.*) rm -rf "$rd" ;; esac
    rm -f "$RUNDIR_FILE"
  fi
}

# Run a ceph tool against our cluster; its output goes to the setup log. Fails loudly.
c() {
  echo "+ $*" >>"$STATE/log/setup.log"
  "$@" -c "$CONF" >>"$STATE/log/setup.log" 2>&1 || {
    echo "rgw.sh: command failed: $*; last lines of .local/rgw/log/setup.log:" >&2
    tail -n 8 "$STATE/log/setup.log" >&2
    return 1
  }
}

# spawn NAME CMD...: run a daemon in the foreground of its own session, record its PID.
spawn() {
  local name="$1"
  shift
  setsid "$@" </dev/null >>"$STATE/log/$name.out" 2>&1 &
  echo $! >"$STATE/$name.pid"
}

# RGW realm/zone init ('user list' once first), extra storage classes in the default placement
# (before radosgw starts), the S3 user with the fixed test keys.
rgw_setup() {
  local sc pool
  c timeout 60 radosgw-admin user list || return 1
  for sc in STANDARD_IA GLACIER; do
    pool="default.rgw.$(echo "$sc" | tr 'A-Z_' 'a-z-').data"
    c radosgw-admin zonegroup placement add --rgw-zonegroup default \
      --placement-id default-placement --storage-class "$sc" || return 1
    c radosgw-admin zone placement add --rgw-zone default \
      --placement-id default-placement --storage-class "$sc" --data-pool "$pool" || return 1
  done
  c radosgw-admin user create --uid s3e --display-name "s3e test user" \
    --access-key "$ACCESS_KEY" --secret "$SECRET_KEY" || return 1
}

fail_start() {
  local f
  for f in "$STATE"/log/*.out "$STATE"/log/mon.a.log "$STATE"/log/osd.0.log "$STATE"/log/client.rgw.s3e.log; do
    [ -s "$f" ] || continue
    echo "--- last lines of ${f#"$S3E_ROOT"/}:" >&2
    tail -n 3 "$f" >&2 || true
  done
  kill_all
  echo "rgw.sh: ERROR: Ceph RGW did not start: $*" >&2
  exit 1
}

start() {
  if running; then
    log "already running (pids mon $(cat "$STATE/mon.pid") osd $(cat "$STATE/osd.pid") rgw $(cat "$STATE/rgw.pid")), env in .local/rgw.env"
    return 0
  fi
  local b
  for b in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
    command -v "$b" >/dev/null 2>&1 || die "'$b' not found: run scripts/local-s3/install.sh"
  done
  local t0
  t0="$(now_ms)"

  # A clean slate: leftovers of a previous or half-started cluster go.
  kill_all
  rm -f "$ENVFILE"
  rm -rf "$STATE"
  mkdir -p "$STATE/log" "$STATE/mon.a" "$STATE/osd.0"
  local rundir
  rundir="$(mktemp -d /tmp/s3e-rgw.XXXXXX)"
  echo "$rundir" >"$RUNDIR_FILE"

  local fsid osd_uuid mon_v2 mon_v1 rgw_port kms_conf k
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  mon_v2="$(free_port)"
  mon_v1="$(free_port)"
  while [ "$mon_v1" = "$mon_v2" ]; do mon_v1="$(free_port)"; done
  rgw_port="$(free_port)"
  while [ "$rgw_port" = "$mon_v2" ] || [ "$rgw_port" = "$mon_v1" ]; do rgw_port="$(free_port)"; done
  kms_conf=""
  for k in "${KMS_KEYS[@]}"; do
    kms_conf+="$k=$(head -c 32 /dev/urandom | base64 -w0) "
  done

  cat >"$CONF" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $KEYRING
run dir = $rundir
log file = $STATE/log/\$name.log
crash dir = $STATE/crash
admin socket =
log to stderr = false
err to stderr = true
# single OSD
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
# PG budget (RGW creates up to 10 pools)
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
osd pool default pg autoscale mode = off
# fast start
paxos propose interval = 0.05
paxos min wait = 0.01
# memstore, tiny disk
osd objectstore = memstore
osd crush initial weight = 1
mon data avail crit = 1
mon data avail warn = 1

[mon]
mon data = $STATE/mon.\$id
admin socket = $rundir/\$name.asok

[osd]
osd data = $STATE/osd.\$id
admin socket = $rundir/\$name.asok

[$RGW_NAME]
admin socket = $rundir/\$name.asok
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw dns name = 127.0.0.1
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = $kms_conf
rgw crypt require ssl = false
CONF

  {
    # keyring: mon., client.admin, osd.0, the rgw client; imported at mon mkfs
    c ceph-authtool --create-keyring "$KEYRING" --gen-key -n mon. --cap mon 'allow *' &&
      c ceph-authtool "$KEYRING" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' &&
      c ceph-authtool "$KEYRING" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' &&
      c ceph-authtool "$KEYRING" --gen-key -n "$RGW_NAME" --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' &&
      c monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]" "$STATE/monmap" &&
      c ceph-mon --mkfs -i a --monmap "$STATE/monmap" --keyring "$KEYRING"
  } || fail_start "mon mkfs failed"

  spawn mon ceph-mon -c "$CONF" -i a -f

  # register the OSD (waits for the mon to be up), then mkfs and start it
  c timeout 30 ceph --connect-timeout 20 osd new "$osd_uuid" 0 || fail_start "'ceph osd new' failed (mon not up?)"
  c ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" || fail_start "ceph-osd --mkfs failed"
  spawn osd ceph-osd -c "$CONF" -i 0 -f

  local up=""
  for _ in $(seq 1 300); do # up to 30 s
    if ceph -c "$CONF" osd dump 2>/dev/null | grep -q '^osd\.0 up'; then
      up=1
      break
    fi
    pidfile_alive "$STATE/osd.pid" ceph-osd || fail_start "ceph-osd exited"
    sleep 0.1
  done
  [ -n "$up" ] || fail_start "osd.0 not up after 30 s"

  rgw_setup || fail_start "radosgw-admin setup failed"

  spawn rgw radosgw -c "$CONF" -n "$RGW_NAME" -f
  local ep="http://127.0.0.1:$rgw_port" ok=""
  for _ in $(seq 1 300); do # up to 30 s
    if http_answers "$ep/"; then
      ok=1
      break
    fi
    pidfile_alive "$STATE/rgw.pid" radosgw || fail_start "radosgw exited"
    sleep 0.1
  done
  [ -n "$ok" ] || fail_start "radosgw did not answer on $ep after 30 s"

  local ids
  ids="$(
    IFS=,
    echo "${KMS_KEYS[*]}"
  )"
  {
    echo "S3E_RGW_ENDPOINT=$ep"
    echo "S3E_RGW_REGION=us-east-1"
    echo "S3E_RGW_ACCESS_KEY=$ACCESS_KEY"
    echo "S3E_RGW_SECRET_KEY=$SECRET_KEY"
    echo "S3E_RGW_KMS_KEYS=$ids"
  } >"$ENVFILE.tmp"
  mv "$ENVFILE.tmp" "$ENVFILE"
  log "started (mon $(cat "$STATE/mon.pid"), osd $(cat "$STATE/osd.pid"), rgw $(cat "$STATE/rgw.pid")) at $ep in $(($(now_ms) - t0)) ms"
}

stop() {
  if [ -f "$STATE/mon.pid" ] || [ -f "$STATE/osd.pid" ] || [ -f "$STATE/rgw.pid" ]; then
    kill_all
    log "stopped"
  else
    kill_all
    log "not running"
  fi
  rm -f "$ENVFILE"
}

status() {
  if running; then
    log "running (mon $(cat "$STATE/mon.pid"), osd $(cat "$STATE/osd.pid"), rgw $(cat "$STATE/rgw.pid"))"
    cat "$ENVFILE"
  else
    log "not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
