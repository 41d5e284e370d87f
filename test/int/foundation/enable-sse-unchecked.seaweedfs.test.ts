// enable-sse with --skip-key-check on SeaweedFS: the store takes a bucket default under a key id it
// cannot use (a full key ARN: its local KMS provider answers every write under it with 500) and reads
// it back as set. The configuration is proven, the key is not: enable-sse must not claim that new
// objects are now encrypted, and must say the key was not checked (text and --json).
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const ARN = `arn:aws:kms:us-east-1:123456789012:key/${t.kmsKeyIds[0] ?? ''}`;

describe('enable-sse under an unchecked key on SeaweedFS', () => {
  it('applies and reads back, but does not claim new objects are encrypted (writes under it fail)', async () => {
    const bucket = uniqueBucket('sse-unchecked');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', ARN, '--skip-key-check'], t);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Applied and read back/);
    expect(r.stdout).not.toMatch(/New objects are now encrypted/);
    expect(r.stdout).toMatch(/not checked \(--skip-key-check\)/);
    // the store's side: a plain write now fails (so "now encrypted" would have been false)
    await expect(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new', Body: 'n' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });

    await s3.send(new CreateBucketCommand({ Bucket: `${bucket}-j` }));
    const json = await runBin(
      ['--json', 'enable-sse', '--bucket', `${bucket}-j`, '--kms-key', ARN, '--skip-key-check'],
      t,
    );
    expect(json.code, json.stderr).toBe(0);
    expect(json.lines().at(-1)).toMatchObject({ outcome: 'applied', keyChecked: false });
  });

  it('a checked-or-not flag is there when the key works too (plain id)', async () => {
    const bucket = uniqueBucket('sse-unchecked-ok');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = t.kmsKeyIds[0] as string;
    const r = await runBin(
      ['--json', 'enable-sse', '--bucket', bucket, '--kms-key', key, '--skip-key-check'],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines().at(-1)).toMatchObject({ outcome: 'applied', keyChecked: false });
  });
});
