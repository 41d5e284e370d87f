#!/usr/bin/env bash
# Local S3 Batch Operations service (test/support/batch-service/), bound to 127.0.0.1, running
# jobs against the moto server or Ceph RGW that moto.sh / rgw.sh started. It stands in for AWS
# in tests and the demo only.
#   scripts/local-s3/batch.sh start [moto|rgw]   (default: moto)
#   scripts/local-s3/batch.sh stop|status
# start: builds the service with esbuild into .local/batch-service.mjs, picks a free port, waits
# until it answers, writes .local/batch.env:
#   S3E_BATCH_ENDPOINT   http://localhost:PORT   (for AWS_ENDPOINT_URL_S3_CONTROL)
#   S3E_BATCH_STORE      moto | rgw
# The store's endpoint and credentials come from .local/<store>.env (start the store first).
# Starting twice is safe (reuses the running one). stop kills only the PID in .local/batch.pid.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PIDFILE="$S3E_LOCAL/batch.pid"
ENVFILE="$S3E_LOCAL/batch.env"
LOGFILE="$S3E_LOCAL/logs/batch.log"
BUNDLE="$S3E_LOCAL/batch-service.mjs"
SIG="batch-service.mjs"

die() { echo "batch.sh: ERROR: $*" >&2; exit 1; }

running() {
  pidfile_alive "$PIDFILE" "$SIG" && [ -f "$ENVFILE" ] || return 1
  local ep
  ep="$(sed -n 's/^S3E_BATCH_ENDPOINT=//p' "$ENVFILE")"
  http_answers "${ep/localhost/127.0.0.1}/v20180820/jobs"
}

env_of() { sed -n "s/^$2=//p" "$1"; }

start() {
  local store="${1:-moto}"
  if running; then
    echo "batch.sh: already running (pid $(cat "$PIDFILE")), env in .local/batch.env"
    return 0
  fi
  kill_pidfile "$PIDFILE" "$SIG"
  rm -f "$ENVFILE"
  local storeenv="$S3E_LOCAL/$store.env" ep region ak sk
  [ -f "$storeenv" ] || die "no .local/$store.env: run scripts/local-s3/$store.sh start first"
  case "$store" in
    moto)
      ep="$(env_of "$storeenv" S3E_MOTO_ENDPOINT)"; region="$(env_of "$storeenv" S3E_MOTO_REGION)"
      ak="$(env_of "$storeenv" S3E_MOTO_ACCESS_KEY)"; sk="$(env_of "$storeenv" S3E_MOTO_SECRET_KEY)" ;;
    rgw)
      ep="$(env_of "$storeenv" S3E_RGW_ENDPOINT)"; region="$(env_of "$storeenv" S3E_RGW_REGION)"
      ak="$(env_of "$storeenv" S3E_RGW_ACCESS_KEY)"; sk="$(env_of "$storeenv" S3E_RGW_SECRET_KEY)" ;;
    *) die "store must be moto or rgw (got $store)" ;;
  esac
  mkdir -p "$S3E_LOCAL/logs"
  (cd "$S3E_ROOT" && node_modules/.bin/esbuild test/support/batch-service/main.ts --bundle --platform=node \
    --format=esm --target=node22 --packages=external --outfile="$BUNDLE" --log-level=warning) ||
    die "esbuild failed"
  local t0 attempt port pid url
  t0="$(now_ms)"
  for attempt in 1 2 3; do
    port="$(free_port)"
    url="http://localhost:$port"
    # the bundle keeps packages external: node resolves them from the repo root (cwd)
    cd "$S3E_ROOT"
    S3E_ROOT="$S3E_ROOT" S3E_BATCH_PORT="$port" S3E_BATCH_STORE_ENDPOINT="$ep" S3E_BATCH_REGION="${region:-us-east-1}" \
      S3E_BATCH_ACCESS_KEY="$ak" S3E_BATCH_SECRET_KEY="$sk" \
      setsid node "$BUNDLE" </dev/null >"$LOGFILE" 2>&1 &
    echo $! >"$PIDFILE"
    pid="$(cat "$PIDFILE")"
    for _ in $(seq 1 100); do # up to 10 s
      if http_answers "http://127.0.0.1:$port/v20180820/jobs"; then
        {
          echo "S3E_BATCH_ENDPOINT=$url"
          echo "S3E_BATCH_STORE=$store"
        } >"$ENVFILE.tmp"
        mv "$ENVFILE.tmp" "$ENVFILE"
        echo "batch.sh: started pid $pid at $url (jobs run on $store at $ep) in $(( $(now_ms) - t0 )) ms"
        return 0
      fi
      pid_alive "$pid" || break
      sleep 0.1
    done
    kill_pidfile "$PIDFILE" "$SIG"
    echo "batch.sh: attempt $attempt on port $port failed; last log lines:" >&2
    tail -n 5 "$LOGFILE" >&2 || true
  done
  die "batch service did not start (see .local/logs/batch.log)"
}

stop() {
  if [ -f "$PIDFILE" ]; then
    kill_pidfile "$PIDFILE" "$SIG"
    echo "batch.sh: stopped"
  else
    echo "batch.sh: not running"
  fi
  rm -f "$ENVFILE"
}

status() {
  if running; then
    echo "batch.sh: running (pid $(cat "$PIDFILE"))"
    cat "$ENVFILE"
  else
    echo "batch.sh: not running"
    return 3
  fi
}

case "${1:-}" in
  start) start "${2:-moto}" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [moto|rgw]|stop|status" >&2; exit 2 ;;
esac
