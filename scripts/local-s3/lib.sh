# Shared helpers for moto.sh and rgw.sh (sourced, not executed).
# shellcheck shell=bash

S3E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
S3E_LOCAL="$S3E_ROOT/.local"

# A free TCP port on 127.0.0.1 (the kernel picks it; tiny race until the server binds).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

# pid_alive PID [EXPECTED_COMM_SUBSTRING] -> 0 if the process exists (and its cmdline matches).
pid_alive() {
  local pid="$1" want="${2:-}"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  # a zombie is not alive
  if grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; then return 1; fi
  if [ -n "$want" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$want" || return 1
  fi
  return 0
}

# pidfile_alive FILE [EXPECTED] -> 0 if the PID in FILE is alive (and matches).
pidfile_alive() {
  local f="$1"
  [ -f "$f" ] || return 1
  pid_alive "$(cat "$f")" "${2:-}"
}

# kill_pidfile FILE EXPECTED: TERM, wait up to 10 s, then KILL the one PID in FILE (only if its
# cmdline still contains EXPECTED, so a recycled PID is never hit). Removes FILE.
kill_pidfile() {
  local f="$1" want="$2" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if pid_alive "$pid" "$want"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      pid_alive "$pid" "$want" || break
      sleep 0.1
    done
    if pid_alive "$pid" "$want"; then
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        pid_alive "$pid" "$want" || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$f"
}

# http_answers URL -> 0 once anything answers HTTP at URL (any status code).
http_answers() {
  local code
  code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true)"
  [ -n "$code" ] && [ "$code" != "000" ]
}

# now_ms: milliseconds since epoch (for timing output).
now_ms() { date +%s%3N; }
