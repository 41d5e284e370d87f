import { PreconditionError, ServiceError } from '../errors.js';
import type { ResolvedKey } from '../kms/key.js';
import type { BucketEncryptionStore } from '../ports.js';
import { bucketEncryptionChange, type BucketEncryption, type EncryptionChange } from './bucket-default.js';

export interface EnableSseInput {
  bucket: string;
  key: ResolvedKey;
  bucketKey: boolean;
  dryRun: boolean;
  /** Set for an S3-compatible store (--endpoint-url): it may lack bucket default encryption. */
  endpoint?: string | undefined;
}

export interface EnableSseResult {
  bucket: string;
  keyId: string;
  /** `unchanged`: already as asked; `planned`: dry run; `applied`: written and read back. */
  outcome: 'unchanged' | 'planned' | 'applied';
  changes: EncryptionChange[];
  before: BucketEncryption | undefined;
  after: BucketEncryption | undefined;
}

/** Read, plan, write, read back. Safe to run twice: the second run finds nothing to change. */
export async function enableSse(
  store: BucketEncryptionStore,
  input: EnableSseInput,
): Promise<EnableSseResult> {
  try {
    return await readPlanWrite(store, input);
  } catch (err) {
    // An S3-compatible store that refuses the request lacks the feature; on AWS it is a real fault.
    if (
      err instanceof ServiceError &&
      ['InvalidArgument', 'NotImplemented', 'MethodNotAllowed'].includes(err.code) &&
      input.endpoint
    )
      throw new PreconditionError(
        'DefaultEncryptionUnsupported',
        `the store at ${input.endpoint} does not support bucket default encryption (PutBucketEncryption: ${err.code})`,
        "send SSE-KMS headers on every write and use 's3-encrypt encrypt' to re-encrypt existing objects",
        { cause: err },
      );
    throw err;
  }
}

async function readPlanWrite(store: BucketEncryptionStore, input: EnableSseInput): Promise<EnableSseResult> {
  const before = await store.getEncryption(input.bucket);
  const plan = bucketEncryptionChange(before, input.key, input.bucketKey);
  const base = { bucket: input.bucket, keyId: input.key.id, changes: plan.changes, before };
  if (!plan.next) return { ...base, outcome: 'unchanged', after: before };
  if (input.dryRun) return { ...base, outcome: 'planned', after: plan.next };
  await store.putEncryption(input.bucket, plan.next);
  const after = await store.getEncryption(input.bucket);
  if (bucketEncryptionChange(after, input.key, input.bucketKey).next) {
    throw new PreconditionError(
      'EncryptionNotApplied',
      `bucket ${input.bucket} accepted the new default encryption but reads back a different one`,
      'check for a policy or another process rewriting the bucket encryption, then run again',
    );
  }
  return { ...base, outcome: 'applied', after };
}
