#!/usr/bin/env bash
# npm run demo: the whole migration on a local S3 server (moto: S3 + KMS + STS semantics), from a
# fresh clone. Starts the server if needed, seeds a bucket, runs s3-encrypt as an operator would,
# and stops what it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

bash scripts/ensure-setup.sh
npm run build --silent

started=0
if ! bash scripts/local-s3/moto.sh status >/dev/null 2>&1; then
  bash scripts/local-s3/moto.sh start >&2
  started=1
fi
cleanup() { [ "$started" = 1 ] && bash scripts/local-s3/moto.sh stop >&2 || true; }
trap cleanup EXIT

# shellcheck disable=SC1091
source .local/moto.env
export AWS_ACCESS_KEY_ID="$S3E_MOTO_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3E_MOTO_SECRET_KEY" AWS_REGION="$S3E_MOTO_REGION"
BUCKET="demo-$(date +%s)"
KEY=alias/s3-encrypt-demo
s3e() { node bin/s3-encrypt.js --endpoint-url "$S3E_MOTO_ENDPOINT" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n$ s3-encrypt %s\n' "$1" "$2"; }
expect_exit() { # expected, then the command: shows the exit code a CI job would see
  local want=$1; shift
  set +e; "$@"; local got=$?; set -e
  echo "(exit $got)"
  [ "$got" = "$want" ] || { echo "demo: expected exit $want, got $got" >&2; exit 1; }
}

echo "Seeding s3://$BUCKET on $S3E_MOTO_ENDPOINT ..."
eval "$(node scripts/demo/seed.mjs "$S3E_MOTO_ENDPOINT" "$BUCKET" "$KEY")"
echo "$DEMO_OBJECTS objects: $DEMO_PLAIN unencrypted, $DEMO_SSE_S3 SSE-S3, odd keys included"

step "1. verify: what is not yet under the key?" "verify --bucket $BUCKET --kms-key $KEY --live --show-offenders 5"
expect_exit 1 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --live --show-offenders 5

step "2. enable-sse, dry run first" "enable-sse --bucket $BUCKET --kms-key $KEY --dry-run"
expect_exit 0 s3e enable-sse --bucket "$BUCKET" --kms-key "$KEY" --dry-run
step "3. enable-sse" "enable-sse --bucket $BUCKET --kms-key $KEY"
expect_exit 0 s3e enable-sse --bucket "$BUCKET" --kms-key "$KEY"
step "4. enable-sse again: safe to repeat" "enable-sse --bucket $BUCKET --kms-key $KEY"
expect_exit 0 s3e enable-sse --bucket "$BUCKET" --kms-key "$KEY"

step "5. verify again: new writes are covered, existing objects still need work" "verify --bucket $BUCKET --kms-key $KEY --live --show-offenders 0"
expect_exit 1 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --live --show-offenders 0
