// The lean HEAD (src/adapters/aws/objects/lean-head.ts) against a real store that checks every
// signature: it must be answered by the store itself, never fall back to the SDK command, and agree
// with the SDK command on every field the classifier reads. A signing mistake would show as
// `fallback`. One suite, run by each store's file (lean-head.<tier>.test.ts).
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { headVia } from '../../../src/adapters/aws/objects/lean-head.js';
import { leanSender } from '../../../src/adapters/aws/transport/lean-send.js';
import { toHead } from '../../../src/adapters/aws/objects/head-proof.js';
import { s3For } from './clients.js';
import { target, uniqueBucket } from './servers.js';

const keys = ['plain.txt', 'dir/a b+c=d&e~ü', "odd!'()*", 'kms/object'];

export function leanHeadSuite(store: string): void {
  const t = target();
  const s3 = s3For(t);
  const bucket = uniqueBucket('lean-head');
  const [KEY] = t.kmsKeyIds as [string];

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const Key of keys)
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: `body of ${Key}`,
          ContentType: 'text/plain',
          Metadata: { owner: 'team-a' },
          ...(Key.startsWith('kms/') ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY } : {}),
        }),
      );
  });

  describe(`lean HEAD on ${store}`, () => {
    it('is answered directly, with the same ObjectHead as the SDK command', async () => {
      const head = headVia(leanSender(s3));
      for (const key of keys) {
        const lean = await head(bucket, key);
        expect(lean.kind, key).toBe('head');
        const sdk = toHead(key, await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
        expect(lean.kind === 'head' ? lean.head : undefined, key).toEqual(sdk);
      }
      const kms = await head(bucket, 'kms/object');
      expect(kms.kind === 'head' && [kms.head?.serverSideEncryption, kms.head?.kmsKeyId]).toEqual([
        'aws:kms',
        KEY,
      ]);
    });

    it('reports a missing key and wrong credentials as refusals, for a second look', async () => {
      expect(await headVia(leanSender(s3))(bucket, 'no/such/key')).toEqual({ kind: 'refused', status: 404 });
      const wrong = s3For(t, { secretAccessKey: 'not-the-secret-key-000000000000000000000' });
      expect(await headVia(leanSender(wrong))(bucket, 'plain.txt')).toEqual({ kind: 'refused', status: 403 });
    });
  });
}
