// enable-sse's use case (core/encryption/enable-sse.ts): a store that refuses bucket default
// encryption is named as lacking it on an S3-compatible endpoint, and stays a service error on AWS.
import { describe, expect, it } from 'vitest';
import { enableSse } from '../../../src/core/encryption/enable-sse.js';
import { PreconditionError, ServiceError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import type { BucketEncryptionStore } from '../../../src/core/ports.js';

const KEY = { id: 'arn:aws:kms:us-east-1:111122223333:key/k', shortId: 'k', checked: true };
const refusing = (code: string): BucketEncryptionStore => ({
  getEncryption: async () => undefined,
  putEncryption: async () => Promise.reject(new ServiceError(code, `${code} from the store`)),
});
const input = { bucket: 'bkt', key: KEY, bucketKey: true, dryRun: false };

describe('enableSse', () => {
  it.each(['InvalidArgument', 'NotImplemented', 'MethodNotAllowed'])(
    '%s from an S3-compatible store: refused as unsupported (exit 3), naming the endpoint',
    async (code) => {
      const run = enableSse(refusing(code), { ...input, endpoint: 'http://127.0.0.1:7480' });
      await expect(run).rejects.toThrow(PreconditionError);
      await expect(run).rejects.toMatchObject({
        code: 'DefaultEncryptionUnsupported',
        exitCode: ExitCode.PRECONDITION,
        message: `the store at http://127.0.0.1:7480 does not support bucket default encryption (PutBucketEncryption: ${code})`,
      });
    },
  );

  it('the same refusal on AWS (no endpoint), or another code, stays the service error', async () => {
    await expect(enableSse(refusing('NotImplemented'), input)).rejects.toMatchObject({
      code: 'NotImplemented',
    });
    const other = enableSse(refusing('InternalError'), { ...input, endpoint: 'http://127.0.0.1:7480' });
    await expect(other).rejects.toMatchObject({ code: 'InternalError', exitCode: ExitCode.SERVICE });
  });

  it('a dry run writes nothing and says what would change', async () => {
    const r = await enableSse(refusing('InvalidArgument'), { ...input, dryRun: true, endpoint: 'http://x' });
    expect(r.outcome).toBe('planned');
    expect(r.after?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toBe(KEY.id);
  });
});
