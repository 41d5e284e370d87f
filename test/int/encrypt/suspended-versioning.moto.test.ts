// encrypt on a bucket whose versioning is Suspended, on moto: every write there makes the key's
// "null" version, and a bucket holds one per key. A key written before versioning was enabled
// (its null version), then again while it was enabled (a real version, now current), would lose
// that null version for good to an in-place copy. The run is refused, and every version stays.
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { encrypt } from './fixtures.js';

const t = target();
const s3 = s3For(t);
let keyArn = '';

beforeAll(async () => {
  keyArn = (await kmsFor(t).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
});

const versioning = (Bucket: string, Status: 'Enabled' | 'Suspended') =>
  s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));

const versionsOf = async (Bucket: string) =>
  ((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? [])
    .map((v) => `${v.Key} ${v.VersionId === 'null' ? 'null' : 'id'} ${v.IsLatest ? 'current' : 'old'}`)
    .sort();

describe('encrypt on a bucket with versioning Suspended', () => {
  it('is refused before any write, and the old null version stays', async () => {
    const bucket = uniqueBucket('enc-susp');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'before versioning' }));
    await versioning(bucket, 'Enabled');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'while enabled' }));
    await versioning(bucket, 'Suspended');
    const before = await versionsOf(bucket);
    expect(before).toEqual(['k id current', 'k null old']);

    for (const dry of [[], ['--dry-run']]) {
      const r = await encrypt(t, ['--bucket', bucket, '--kms-key', keyArn, '--no-state', ...dry]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        /bucket .* has versioning Suspended: an in-place copy writes a new "null" version/,
      );
    }
    expect(await versionsOf(bucket)).toEqual(before);

    // With versioning enabled again, the copy adds a version and the null one stays.
    await versioning(bucket, 'Enabled');
    const r = await encrypt(t, ['--bucket', bucket, '--kms-key', keyArn, '--no-state']);
    expect(r.code, r.stderr).toBe(0);
    expect(await versionsOf(bucket)).toEqual(['k id current', 'k id old', 'k null old']);
  });
});
