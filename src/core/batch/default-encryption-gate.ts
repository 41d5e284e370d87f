import { describeDefaultEncryption, type DefaultEncryptionState } from '../encryption/default-state.js';
import { PreconditionError } from '../errors.js';

/**
 * create-job runs only on a bucket whose default encryption is SSE-KMS under the target key with
 * S3 Bucket Keys: the copy operation names no key (AWS's Bucket Key example and the seed's run
 * both let the bucket default encrypt the copies), and objects written after the jobs follow the
 * default too. Anything else, unknown included, is refused before any upload or job. Returns the
 * line that says the check passed.
 */
export function requireBatchReadyDefault(
  state: DefaultEncryptionState,
  bucket: string,
  keyArn: string,
): string {
  const fix = `s3-encrypt enable-sse --bucket ${bucket} --kms-key ${keyArn}`;
  if (state.state === 'unknown') {
    throw new PreconditionError(
      'BucketDefaultUnknown',
      `the default encryption of ${bucket} could not be checked (${state.reason}); Batch copies take their encryption from it`,
      `allow s3:GetEncryptionConfiguration (and kms:DescribeKey) and run again; to set it: ${fix}`,
    );
  }
  if (state.state !== 'ready') {
    throw new PreconditionError(
      'BucketDefaultNotReady',
      `the default encryption of ${bucket} is ${describeDefaultEncryption(state, keyArn)} (Batch copies take their encryption from it)`,
      `run ${fix} first`,
    );
  }
  return `bucket default of ${bucket}: ${describeDefaultEncryption(state, keyArn)} (checked)`;
}
