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
batch_started=0
if ! bash scripts/local-s3/batch.sh status >/dev/null 2>&1; then
  bash scripts/local-s3/batch.sh start moto >&2
  batch_started=1
fi
cleanup() {
  [ "$batch_started" = 1 ] && bash scripts/local-s3/batch.sh stop >&2 || true
  [ "$started" = 1 ] && bash scripts/local-s3/moto.sh stop >&2 || true
}
trap cleanup EXIT

# shellcheck disable=SC1091
source .local/moto.env
# S3 Control (Batch jobs) goes to the local Batch Operations service: the SDK's own per-service
# endpoint setting, as a profile's `services` section or this variable would set it on any machine.
AWS_ENDPOINT_URL_S3_CONTROL="$(sed -n 's/^S3E_BATCH_ENDPOINT=//p' .local/batch.env)"
export AWS_ENDPOINT_URL_S3_CONTROL
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

step "8. build-manifest (dry run): what still needs work, split for Batch" "build-manifest --bucket $BUCKET --inventory s3://$INV/inventory --id s3-encrypt --kms-key $KEY --dry-run"
expect_exit 0 s3e build-manifest --bucket "$BUCKET" --inventory "s3://$INV/inventory" --id s3-encrypt --kms-key "$KEY" --dry-run

JOB_ARGS=(--bucket "$BUCKET" --kms-key "$KEY" --role-arn "$ROLE" --report "s3://$INV/batch-reports")
step "9. create-job --date, dry run: the manifests of that delivery and the exact CreateJob requests" "create-job --inventory s3://$INV/inventory --id s3-encrypt --date latest --bucket $BUCKET ... --dry-run"
expect_exit 0 s3e create-job --inventory "s3://$INV/inventory" --id s3-encrypt --date latest "${JOB_ARGS[@]}" --dry-run

step "10. create-job --date: build, upload, and start one Batch job per manifest" "create-job --inventory s3://$INV/inventory --id s3-encrypt --date latest --bucket $BUCKET ..."
echo "(S3 Batch Operations here is the local service in test/support/batch-service: it stands in for AWS in tests and this demo only)"
set +e
JOBS_JSON=$(s3e --json create-job --inventory "s3://$INV/inventory" --id s3-encrypt --date latest "${JOB_ARGS[@]}")
rc=$?
set -e
echo "(exit $rc)"
[ "$rc" = 0 ] || { echo "demo: create-job failed" >&2; exit 1; }
mapfile -t JOBS < <(node -e 'for (const l of require("fs").readFileSync(0,"utf8").split("\n")) if (l.trim()) { const r = JSON.parse(l); if (r.jobId) console.log(`${r.jobId} ${r.group}`); }' <<<"$JOBS_JSON")
for j in "${JOBS[@]}"; do echo "  job $j"; done
step "11. create-job --date again: safe to repeat, the same jobs come back" "create-job --inventory s3://$INV/inventory --id s3-encrypt --date latest ..."
expect_exit 0 s3e create-job --inventory "s3://$INV/inventory" --id s3-encrypt --date latest "${JOB_ARGS[@]}"

step "12. status --watch: each job to its end, failures by code from the completion report" "status --job-id ID --watch"
for j in "${JOBS[@]}"; do
  read -r id group <<<"$j"
  if [ "$group" = update-encryption ]; then
    echo "(moto cannot run UpdateObjectEncryption, so every task of this job fails, as on a store AWS does not support: the report says why, and status writes the retry manifest)"
    expect_exit 1 s3e status --job-id "$id" --watch --interval 1 --retry-manifest "s3://$INV/retry/"
  else
    expect_exit 0 s3e status --job-id "$id" --watch --interval 1
  fi
done

step "13. verify: the copy jobs did their part; the SSE-S3 objects are still to do" "verify --bucket $BUCKET --kms-key $KEY --live --show-offenders 0"
expect_exit 1 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --live --show-offenders 0

step "14. encrypt: the direct engine does the rest" "encrypt --bucket $BUCKET --kms-key $KEY"
expect_exit 0 s3e encrypt --bucket "$BUCKET" --kms-key "$KEY" --dry-run --state "$WORK/state.jsonl"
expect_exit 0 s3e encrypt --bucket "$BUCKET" --kms-key "$KEY" --state "$WORK/state.jsonl" --report "$WORK/encrypt.jsonl"

step "15. verify: every object under the key, with a Bucket Key, and an evidence page" "verify --bucket $BUCKET --kms-key $KEY --live --require-bucket-key --report verify.html"
expect_exit 0 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --live --require-bucket-key --report "$WORK/verify.html"

step "16. verify from a new inventory delivery, as a CI job would" "verify --bucket $BUCKET --kms-key $KEY --inventory s3://$INV/inventory --id s3-encrypt"
node scripts/demo/deliver-inventory.mjs "$S3E_MOTO_ENDPOINT" "$BUCKET" "$INV" inventory s3-encrypt
expect_exit 0 s3e verify --bucket "$BUCKET" --kms-key "$KEY" --inventory "s3://$INV/inventory" --id s3-encrypt

step "17. audit: the account's buckets against the key (here: the demo bucket), with an evidence page" "audit --kms-key $KEY --buckets buckets.txt --report audit.html"
echo "$BUCKET" >"$WORK/buckets.txt"
expect_exit 0 s3e audit --kms-key "$KEY" --buckets "$WORK/buckets.txt" --report "$WORK/audit.html"
echo
echo "Demo complete: s3://$BUCKET migrated to SSE-KMS under $KEY with Bucket Keys; artefacts in $WORK"
