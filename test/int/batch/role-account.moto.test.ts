// create-job with a --role-arn of another account than the one creating the job: PassRole cannot
// pass it ("You can only use the PassRole permission to pass an IAM role to a service that shares
// the same AWS account", IAM User Guide), so CreateJob would be refused as an access denial whose
// fix (grant iam:PassRole) cannot work, after the manifests were uploaded. Refused first now:
// exit 2, one line, nothing uploaded, dry run or not.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, ListObjectsV2Command, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, record, renderDelivery } from '../support/inventory-delivery.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const src = uniqueBucket('rac-src');
const inv = uniqueBucket('rac-inv');
const reports = uniqueBucket('rac-reports');
const alias = `alias/${src}`;

let ROLE = '';
const args = () => [
  'create-job',
  '--inventory',
  `s3://${inv}/inv`,
  '--id',
  'cfg',
  '--bucket',
  src,
  '--kms-key',
  alias,
  '--role-arn',
  ROLE,
  '--report',
  `s3://${reports}/batch`,
];

async function uploaded(): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: inv, Prefix: `inv/${src}/cfg/s3-encrypt/` }));
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

beforeAll(async () => {
  const keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  for (const b of [src, inv, reports]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: src,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  const rows = [record(src, 'a.txt', { Size: '5' })];
  await putDelivery(
    s3,
    inv,
    renderDelivery(rows, {
      sourceBucket: src,
      destinationBucket: inv,
      prefix: 'inv',
      id: 'cfg',
      folder: '2026-05-03T00-00Z',
    }),
  );
});
afterAll(() => {
  s3.destroy();
  kms.destroy();
});

describe('create-job --role-arn of another account', () => {
  it.each([[['--dry-run']], [[]]])('refused before any upload (%j)', async (extra) => {
    ROLE = 'arn:aws:iam::999999999999:role/s3-encrypt-batch';
    const r = await runBin([...args(), ...extra], t, { env: batchEnv() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      "error: --role-arn arn:aws:iam::999999999999:role/s3-encrypt-batch is a role of account 999999999999, but the job is created in account 123456789012 (these credentials' account): pass a role of account 123456789012: S3 Batch Operations can only be given a role of the account that creates the job",
    ]);
    expect(await uploaded()).toEqual([]);
  });

  it('a role of the same account creates the job', async () => {
    ROLE = 'arn:aws:iam::123456789012:role/service-role/s3-encrypt-batch';
    const r = await runBin(args(), t, { env: batchEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(await uploaded()).not.toEqual([]);
  });
});
