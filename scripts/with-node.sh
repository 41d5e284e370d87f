#!/usr/bin/env bash
# Runs a command on the project's Node (scripts/lib/node.sh): the pinned Node 22 when the one on
# PATH is older, or the pinned major S3E_NODE names. npm test and the test:* scripts go through it.
#   bash scripts/with-node.sh vitest run ...
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
s3e_use_node
exec "$@"
