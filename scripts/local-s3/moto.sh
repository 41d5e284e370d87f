#!/usr/bin/env bash
# moto server (S3, KMS, STS, ... in one in-memory HTTP endpoint) bound to 127.0.0.1.
#   scripts/local-s3/moto.sh start|stop|status
# start: picks a free port, waits until it answers, writes .local/moto.env:
#   S3E_MOTO_ENDPOINT, S3E_MOTO_REGION, S3E_MOTO_ACCESS_KEY, S3E_MOTO_SECRET_KEY
# Starting twice is safe (reuses the running one). stop kills only the PID in .local/moto.pid.
# Needs scripts/local-s3/install.sh first (.venv-moto/).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$S3E_ROOT/.venv-moto"
PIDFILE="$S3E_LOCAL/moto.pid"
ENVFILE="$S3E_LOCAL/moto.env"
LOGFILE="$S3E_LOCAL/logs/moto.log"
SIG="moto_server"   # what the process's cmdline must contain before we kill it

die() { echo "moto.sh: ERROR: $*" >&2; exit 1; }

running() {
  pidfile_alive "$PIDFILE" "$SIG" && [ -f "$ENVFILE" ] || return 1
  local ep
  ep="$(sed -n 's/^S3E_MOTO_ENDPOINT=//p' "$ENVFILE")"
  http_answers "$ep/moto-api/"
}

start() {
  if running; then
    echo "moto.sh: already running (pid $(cat "$PIDFILE")), env in .local/moto.env"
    return 0
  fi
  # leftovers of a dead or half-started server
  kill_pidfile "$PIDFILE" "$SIG"
  rm -f "$ENVFILE"
  [ -x "$VENV/bin/moto_server" ] || die "moto not installed: run scripts/local-s3/install.sh"
  mkdir -p "$S3E_LOCAL/logs"
  local t0 attempt port pid ep
  t0="$(now_ms)"
  for attempt in 1 2 3; do
    port="$(free_port)"
    ep="http://127.0.0.1:$port"
    # setsid: own session, so a Ctrl-C in the caller's terminal does not hit it; </dev/null: no stdin
    setsid "$VENV/bin/python" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" \
      </dev/null >"$LOGFILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PIDFILE"
    for _ in $(seq 1 300); do # up to 30 s
      if http_answers "$ep/moto-api/"; then
        {
          echo "S3E_MOTO_ENDPOINT=$ep"
          echo "S3E_MOTO_REGION=us-east-1"
          echo "S3E_MOTO_ACCESS_KEY=testing"
          echo "S3E_MOTO_SECRET_KEY=testing"
        } >"$ENVFILE.tmp"
        mv "$ENVFILE.tmp" "$ENVFILE"
        echo "moto.sh: started pid $pid at $ep in $(( $(now_ms) - t0 )) ms"
        return 0
      fi
      pid_alive "$pid" || break
      sleep 0.1
    done
    kill_pidfile "$PIDFILE" "$SIG"
    echo "moto.sh: attempt $attempt on port $port failed; last log lines:" >&2
    tail -n 5 "$LOGFILE" >&2 || true
  done
  die "moto server did not start (see .local/logs/moto.log)"
}

stop() {
  if [ -f "$PIDFILE" ]; then
    kill_pidfile "$PIDFILE" "$SIG"
    echo "moto.sh: stopped"
  else
    echo "moto.sh: not running"
  fi
  rm -f "$ENVFILE"
}

status() {
  if running; then
    echo "moto.sh: running (pid $(cat "$PIDFILE"))"
    cat "$ENVFILE"
  else
    echo "moto.sh: not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
