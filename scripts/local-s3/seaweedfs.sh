#!/usr/bin/env bash
# SeaweedFS (one `weed server` process: master + volume + filer + S3) bound to 127.0.0.1, with
# SSE-KMS through its local KMS provider.
#   scripts/local-s3/seaweedfs.sh start|stop|status
# start: wipes .local/seaweedfs/ (its local KMS keys live in memory only: data written under an
# earlier process's keys no longer decrypts), picks free ports, waits until S3 answers (~3 s),
# writes .local/seaweedfs.env:
#   S3E_SEAWEEDFS_ENDPOINT, S3E_SEAWEEDFS_REGION, S3E_SEAWEEDFS_ACCESS_KEY, S3E_SEAWEEDFS_SECRET_KEY,
#   S3E_SEAWEEDFS_KMS_KEYS (comma-separated key ids; the local provider creates a key on first use,
#   ids must not contain ':', so these are plain names: s3e-key-1,s3e-key-2)
# Starting twice is safe (reuses the running one). stop kills only the PID in .local/seaweedfs/weed.pid.
# Needs scripts/local-s3/install.sh first (.venv-seaweedfs/bin/weed).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE="$S3E_LOCAL/seaweedfs"     # data, s3.json, pid file, log
ENVFILE="$S3E_LOCAL/seaweedfs.env"
WEED="$S3E_ROOT/.venv-seaweedfs/bin/weed"
PIDFILE="$STATE/weed.pid"
SIG="weed server"
ACCESS_KEY="S3ETESTACCESSKEY0003"
SECRET_KEY="s3eTestSecretKey0000000000000000000000003"
KMS_KEYS=(s3e-key-1 s3e-key-2)

die() {
  echo "seaweedfs.sh: ERROR: $*" >&2
  exit 1
}
log() { echo "seaweedfs.sh: $*"; }

running() {
  local ep
  pidfile_alive "$PIDFILE" "$SIG" || return 1
  [ -f "$ENVFILE" ] || return 1
  ep="$(sed -n 's/^S3E_SEAWEEDFS_ENDPOINT=//p' "$ENVFILE")"
  http_answers "$ep/"
}

# SIGTERM takes weed ~17 s (it drains); nothing here needs a clean shutdown (the data is wiped on
# the next start), so TERM is given 2 s and then KILL.
kill_weed() {
  [ -f "$PIDFILE" ] || return 0
  local pid
  pid="$(cat "$PIDFILE")"
  if pid_alive "$pid" "$SIG"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      pid_alive "$pid" "$SIG" || break
      sleep 0.1
    done
    if pid_alive "$pid" "$SIG"; then
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        pid_alive "$pid" "$SIG" || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$PIDFILE"
  # weed puts unix sockets in /tmp named after its ports, whatever the flags: remove ours only
  if [ -f "$STATE/ports" ]; then
    local port
    for port in $(cat "$STATE/ports"); do
      rm -f /tmp/seaweedfs-*-"$port".sock
    done
  fi
}

fail_start() {
  if [ -s "$STATE/weed.log" ]; then
    echo "--- last lines of .local/seaweedfs/weed.log:" >&2
    tail -n 5 "$STATE/weed.log" >&2 || true
  fi
  kill_weed
  die "SeaweedFS did not start: $*"
}

start() {
  if running; then
    log "already running (pid $(cat "$PIDFILE")), env in .local/seaweedfs.env"
    return 0
  fi
  [ -x "$WEED" ] || die "$WEED not found: run scripts/local-s3/install.sh"
  local t0
  t0="$(now_ms)"
  kill_weed
  rm -f "$ENVFILE"
  rm -rf "$STATE"
  mkdir -p "$STATE/data"

  # eight distinct free ports
  local ports=() p
  while [ "${#ports[@]}" -lt 8 ]; do
    p="$(free_port)"
    case " ${ports[*]} " in *" $p "*) continue ;; esac
    ports+=("$p")
  done
  local s3_port="${ports[6]}"
  echo "${ports[*]}" >"$STATE/ports"

  cat >"$STATE/s3.json" <<JSON
{
  "identities": [
    {
      "name": "s3e",
      "credentials": [{ "accessKey": "$ACCESS_KEY", "secretKey": "$SECRET_KEY" }],
      "actions": ["Admin", "Read", "Write", "List", "Tagging"]
    }
  ],
  "kms": {
    "default_provider": "local-dev",
    "providers": { "local-dev": { "type": "local", "enableOnDemandCreate": true } }
  }
}
JSON

  # One volume per bucket (the default growth takes 7, and with too few, PUTs fail with 500).
  WEED_MASTER_VOLUME_GROWTH_COPY_1=1 setsid "$WEED" server \
    -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$STATE/data" \
    -master.port="${ports[0]}" -master.port.grpc="${ports[1]}" \
    -master.volumeSizeLimitMB=64 -master.telemetry=false \
    -volume.port="${ports[2]}" -volume.port.grpc="${ports[3]}" -volume.max=100 -volume.preStopSeconds=0 \
    -filer -filer.port="${ports[4]}" -filer.port.grpc="${ports[5]}" \
    -s3 -s3.port="$s3_port" -s3.port.grpc="${ports[7]}" -s3.config="$STATE/s3.json" \
    -s3.port.iceberg=0 -s3.port.lance=0 \
    </dev/null >"$STATE/weed.log" 2>&1 &
  echo $! >"$PIDFILE"

  local ep="http://127.0.0.1:$s3_port" ok=""
  for _ in $(seq 1 300); do # up to 30 s
    if http_answers "$ep/"; then
      ok=1
      break
    fi
    pidfile_alive "$PIDFILE" "$SIG" || fail_start "weed exited"
    sleep 0.1
  done
  [ -n "$ok" ] || fail_start "S3 did not answer on $ep after 30 s"

  local ids
  ids="$(
    IFS=,
    echo "${KMS_KEYS[*]}"
  )"
  {
    echo "S3E_SEAWEEDFS_ENDPOINT=$ep"
    echo "S3E_SEAWEEDFS_REGION=us-east-1"
    echo "S3E_SEAWEEDFS_ACCESS_KEY=$ACCESS_KEY"
    echo "S3E_SEAWEEDFS_SECRET_KEY=$SECRET_KEY"
    echo "S3E_SEAWEEDFS_KMS_KEYS=$ids"
  } >"$ENVFILE.tmp"
  mv "$ENVFILE.tmp" "$ENVFILE"
  log "started (pid $(cat "$PIDFILE"), $("$WEED" version 2>/dev/null | head -1 | awk '{print $3}')) at $ep in $(($(now_ms) - t0)) ms"
}

stop() {
  if [ -f "$PIDFILE" ]; then
    kill_weed
    log "stopped"
  else
    log "not running"
  fi
  rm -f "$ENVFILE"
}

status() {
  if running; then
    log "running (pid $(cat "$PIDFILE"))"
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
