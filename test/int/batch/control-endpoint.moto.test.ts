// create-job --inventory with S3 Control's own endpoint missing or unusable: refused with one line
// naming AWS_ENDPOINT_URL_S3_CONTROL BEFORE the manifests are uploaded (they used to be uploaded,
// then CreateJob failed: "TypeError: Invalid URL: retry", exit 4, or BatchUnavailable after the
// upload). The same command with the local Batch service's endpoint then creates the job.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, ListObjectsV2Command, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchEndpoint, batchEnv } from '../support/batch-target.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, record, renderDelivery } from '../support/inventory-delivery.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const src = uniqueBucket('cep-src');
const inv = uniqueBucket('cep-inv');
const reports = uniqueBucket('cep-reports');
const alias = `alias/${src}`;

const args = [
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
  'arn:aws:iam::123456789012:role/s3-encrypt-batch',
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

describe('create-job --inventory: S3 Control endpoint checked before the first upload', () => {
  it.each<[string, Record<string, string>, number, RegExp]>([
    [
      'none beside --endpoint-url',
      {},
      3,
      /^error: S3 Batch Operations is an AWS service; .* has no S3 Control API: .*AWS_ENDPOINT_URL_S3_CONTROL/,
    ],
    [
      'garbage',
      { AWS_ENDPOINT_URL_S3_CONTROL: 'garbage' },
      2,
      /^error: the S3 Control endpoint "garbage" is not an http\(s\) URL: set AWS_ENDPOINT_URL_S3_CONTROL/,
    ],
    [
      "the service's address by IP",
      { AWS_ENDPOINT_URL_S3_CONTROL: 'IP' },
      2,
      /^error: the S3 Control endpoint http:\/\/127\.0\.0\.1:\d+ names its host by IP address.*e\.g\. http:\/\/localhost:\d+ for this machine$/,
    ],
  ])('%s: refused, one line, nothing uploaded', async (_what, env, code, line) => {
    const e =
      env.AWS_ENDPOINT_URL_S3_CONTROL === 'IP'
        ? { AWS_ENDPOINT_URL_S3_CONTROL: batchEndpoint().replace('//localhost', '//127.0.0.1') }
        : env;
    const r = await runBin(args, t, { env: e });
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
    expect(await uploaded()).toEqual([]);
  });

  it('with the Batch service named by host: uploads the manifests and creates the job', async () => {
    const r = await runBin([...args, '--json'], t, { env: batchEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines()).toEqual([expect.objectContaining({ jobId: expect.any(String), group: 'copy' })]);
    expect(await uploaded()).toContain(`inv/${src}/cfg/s3-encrypt/2026-05-03T00-00Z/copy-STANDARD.csv`);
  });
});
