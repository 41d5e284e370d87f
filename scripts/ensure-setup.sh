#!/usr/bin/env bash
# Makes a fresh clone ready for `npm test` and `npm run demo`: a Node >= 22 (the pinned one in
# .local/node/ when the machine's is older, or the pinned major S3E_NODE names: scripts/lib/node.sh),
# npm dependencies (npm ci when node_modules is missing or older than the lock file), the local
# S3 servers' packages (moto in .venv-moto, Ceph RGW from Debian) and headless Chromium (Debian's,
# for the evidence report's browser tests). Idempotent: a second run takes
# well under a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source-path=SCRIPTDIR source=lib/node.sh
source scripts/lib/node.sh
s3e_use_node # npm below runs on this Node too (its bin script runs `env node`)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
bash scripts/local-s3/install.sh >&2
bash scripts/install-chromium.sh >&2
