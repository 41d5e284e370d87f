import type { Workload } from '../cost/workload.js';

export interface NextInput {
  bucket: string;
  /** The key ARN (or the reference as given when DescribeKey could not be read). */
  key: string;
  /** The default encryption is already SSE-KMS with this key and Bucket Keys. */
  encryptionReady: boolean;
  /** A usable inventory: where it is delivered and its configuration id. */
  inventory?: { destination: string; id: string } | undefined;
  /** Where the user said the inventory goes (--inventory), used to fill setup-inventory. */
  inventoryDestination?: string | undefined;
  workload: Workload;
  /** The bucket owner's account, to name the Batch role; undefined when unknown. */
  account?: string | undefined;
  /** The Batch role name 's3-encrypt policy' uses. */
  roleName: string;
}

const q = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export const DEFAULT_INVENTORY_DESTINATION = 's3://INVENTORY-BUCKET/s3-encrypt';

export function enableSseCommand(bucket: string, key: string): string {
  return `s3-encrypt enable-sse --bucket ${q(bucket)} --kms-key ${q(key)}`;
}

export function setupInventoryCommand(bucket: string, destination: string, id = 's3-encrypt'): string {
  return `s3-encrypt setup-inventory --bucket ${q(bucket)} --destination ${q(destination)} --id ${q(id)}`;
}

/** The commands to run next, in order, filled with this bucket and key. */
export function nextSteps(n: NextInput): string[] {
  const b = q(n.bucket);
  const k = q(n.key);
  const dest = n.inventory?.destination ?? n.inventoryDestination ?? DEFAULT_INVENTORY_DESTINATION;
  const out = [`s3-encrypt policy --bucket ${b} --kms-key ${k} --manifest-bucket ${q(dest)} --for all`];
  if (!n.encryptionReady) out.push(enableSseCommand(n.bucket, n.key));
  const id = n.inventory?.id ?? 's3-encrypt';
  if (!n.inventory) out.push(setupInventoryCommand(n.bucket, dest, id));
  out.push(`s3-encrypt build-manifest --bucket ${b} --kms-key ${k} --inventory ${q(dest)} --id ${q(id)}`);
  const role = `arn:aws:iam::${n.account ?? 'ACCOUNT'}:role/${n.roleName}`;
  const reports = `${dest.replace(/\/+$/, '')}/batch-reports`;
  out.push(
    `s3-encrypt create-job --summary SUMMARY_JSON_PRINTED_BY_BUILD_MANIFEST --bucket ${b} --kms-key ${k} --role-arn ${q(role)} --report ${q(reports)}`,
  );
  if (n.workload.large.objects > 0 || n.workload.basis === 'listing')
    // Objects over 5 GB (or a bucket counted by listing only) need the direct engine.
    out.push(`s3-encrypt encrypt --bucket ${b} --kms-key ${k}`);
  out.push(`s3-encrypt status --job-id JOB_ID_PRINTED_BY_CREATE_JOB --bucket ${b} --watch`);
  out.push(`s3-encrypt verify --bucket ${b} --kms-key ${k} --live --all-versions --require-bucket-key`);
  return out;
}
