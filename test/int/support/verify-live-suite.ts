// verify --live against a real store with SSE-KMS: the classes it produces (plaintext, another
// key, the target key), the rewrite to exit 0, and bad credentials. One suite, run by each store's
// file (verify.<tier>.test.ts), which adds what only that store does.
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './cli.js';
import { s3For } from './clients.js';
import { target, uniqueBucket } from './servers.js';

export interface VerifySummary {
  checked: number;
  compliant: number;
  byClass: Record<string, number>;
}
export const summaryOf = (r: { lines(): unknown[] }): VerifySummary =>
  (r.lines().at(-1) as { summary: VerifySummary }).summary;

export function verifyLiveSuite(store: string): void {
  const t = target();
  const s3 = s3For(t);
  const bucket = uniqueBucket('verify-live');
  const [key1, key2] = t.kmsKeyIds as [string, string];

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const k of ['plain/a', 'plain/b c', 'plain/ü+%'])
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms/target',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key1,
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms/other',
        Body: 'y',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key2,
      }),
    );
  });

  describe(`verify --live on ${store}`, () => {
    it('verify --live counts plaintext, other-key and compliant objects exactly', async () => {
      const r = await runBin(
        ['--json', 'verify', '--bucket', bucket, '--kms-key', key1, '--skip-key-check', '--live'],
        t,
      );
      expect(r.code, r.stderr).toBe(1);
      const summary = summaryOf(r);
      expect(summary.checked).toBe(5);
      expect(summary.compliant).toBe(1);
      expect(summary.byClass).toMatchObject({ 'NOT-SSE': 3, 'SSE-KMS-other-key': 1, compliant: 1 });
    });

    it('exits 0 once the offenders are rewritten under the key', async () => {
      for (const k of ['plain/a', 'plain/b c', 'plain/ü+%', 'kms/other']) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: k }));
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: k,
            Body: k,
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: key1,
          }),
        );
      }
      const r = await runBin(
        ['verify', '--bucket', bucket, '--kms-key', key1, '--skip-key-check', '--live'],
        t,
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('COMPLIANT: all 5 objects seen are SSE-KMS under the target key');
    });

    it('bad credentials: one line, exit 3', async () => {
      const r = await runBin(
        ['verify', '--bucket', bucket, '--kms-key', key1, '--skip-key-check', '--live'],
        t,
        {
          env: { AWS_SECRET_ACCESS_KEY: 'wrong-secret-wrong-secret-wrong-secret00' },
        },
      );
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: the credentials were rejected \(SignatureDoesNotMatch\)/);
    });
  });
}
