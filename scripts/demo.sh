#!/usr/bin/env bash
# npm run demo: the whole migration on a local S3 server (moto: S3 + KMS + STS semantics), from a
# fresh clone. Starts the server if needed, seeds a bucket, runs s3-encrypt as an operator would,
# and stops what it started. Runs on Node >= 22: the pinned one when the machine's is older.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-setup.sh
# shellcheck source-path=SCRIPTDIR source=lib/node.sh
source scripts/lib/node.sh
s3e_use_node
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
step() { # title, then the command line shown to the reader ("(...)" for a note instead)
  case "$2" in
    "("*) printf '\n\033[1m== %s\033[0m\n%s\n' "$1" "$2" ;;
    *) printf '\n\033[1m== %s\033[0m\n$ s3-encrypt %s\n' "$1" "$2" ;;
  esac
}
expect_exit() { # expected, then the command: shows the exit code a CI job would see
  local want=$1; shift
  set +e; "$@"; local got=$?; set -e
  echo "(exit $got)"
  [ "$got" = "$want" ] || { echo "demo: expected exit $want, got $got" >&2; exit 1; }
}

echo "Seeding s3://$BUCKET on $S3E_MOTO_ENDPOINT ..."
eval "$(node scripts/demo/seed.mjs "$S3E_MOTO_ENDPOINT" "$BUCKET" "$KEY")"
echo "$DEMO_OBJECTS objects: $DEMO_PLAIN unencrypted, $DEMO_SSE_S3 SSE-S3, odd keys included; versioning on"
INV="$BUCKET-inv"
ROLE="arn:aws:iam::123456789012:role/s3-encrypt-batch"
WORK=".local/demo/$BUCKET"
mkdir -p "$WORK"

step "0. plan: read-only preflight, checklist and cost estimate" "plan --bucket $BUCKET --kms-key $KEY"
expect_exit 0 s3e plan --bucket "$BUCKET" --kms-key "$KEY"
step "0b. policy: the application's KMS statement" "policy --bucket $BUCKET --kms-key $KEY --for app"
expect_exit 0 s3e policy --bucket "$BUCKET" --kms-key "$KEY" --for app

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

step "6. setup-inventory (dry run, then for real, then again)" "setup-inventory --bucket $BUCKET --destination s3://$INV/inventory"
expect_exit 0 s3e setup-inventory --bucket "$BUCKET" --destination "s3://$INV/inventory" --dry-run
expect_exit 0 s3e setup-inventory --bucket "$BUCKET" --destination "s3://$INV/inventory"
expect_exit 0 s3e setup-inventory --bucket "$BUCKET" --destination "s3://$INV/inventory"

step "7. (simulated) S3 delivers the first inventory report" "(on AWS: within 48 h)"
npx tsc --outDir .local/demo-build --rootDir test/int/support --module nodenext --moduleResolution nodenext \
  --target es2022 --skipLibCheck test/int/support/inventory-delivery.ts
node scripts/demo/deliver-inventory.mjs "$S3E_MOTO_ENDPOINT" "$BUCKET" "$INV" inventory s3-encrypt

step "8. build-manifest: what still needs work, split for Batch" "build-manifest --bucket $BUCKET --inventory s3://$INV/inventory --id s3-encrypt --kms-key $KEY"
expect_exit 0 s3e build-manifest --bucket "$BUCKET" --inventory "s3://$INV/inventory" --id s3-encrypt --kms-key "$KEY" --out "$WORK/manifests"
expect_exit 0 s3e build-manifest --bucket "$BUCKET" --inventory "s3://$INV/inventory" --id s3-encrypt --kms-key "$KEY"
SUMMARY=$(s3e --json build-manifest --bucket "$BUCKET" --inventory "s3://$INV/inventory" --id s3-encrypt --kms-key "$KEY" --dry-run 2>/dev/null |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);process.stdout.write(j.manifests[0].location.replace(/[^/]+$/,"summary.json"))})')

step "9. create-job --dry-run: the exact S3 Batch Operations requests" "create-job --summary $SUMMARY --role-arn ... --dry-run"
expect_exit 0 s3e create-job --summary "$SUMMARY" --bucket "$BUCKET" --kms-key "$KEY" --role-arn "$ROLE" --report "s3://$INV/batch-reports" --dry-run

step "10. encrypt: the direct engine does the work here (no Batch on a local server)" "encrypt --bucket $BUCKET --kms-key $KEY --dry-run"
expect_exit 0 s3e encrypt --bucket "$BUCKET" --kms-key "$KEY" --dry-run --state "$WORK/state.jsonl"
expect_exit 0 s3e encrypt --bucket "$BUCKET" --kms-key "$KEY" --state "$WORK/state.jsonl" --report "$WORK/encrypt.jsonl"

step "11. verify: every object under the key, with a Bucket Key" "verify --bucket $BUCKET --kms-key $KEY --live --require-bucket-key"
expect_exit 0 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --live --require-bucket-key

step "12. verify from a new inventory delivery, as a CI job would" "verify --bucket $BUCKET --kms-key $KEY --inventory s3://$INV/inventory --id s3-encrypt"
node scripts/demo/deliver-inventory.mjs "$S3E_MOTO_ENDPOINT" "$BUCKET" "$INV" inventory s3-encrypt
expect_exit 0 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --inventory "s3://$INV/inventory" --id s3-encrypt
echo
echo "Demo complete: s3://$BUCKET migrated to SSE-KMS under $KEY with Bucket Keys; artefacts in $WORK"
