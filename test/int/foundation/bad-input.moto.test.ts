// Bad inputs against real servers: one clear line, the documented exit code, and nothing written.
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const bucket = uniqueBucket('bad-input');
const keys: Record<string, string> = {};

async function config() {
  return (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
    .ServerSideEncryptionConfiguration;
}

beforeAll(async () => {
  keys.good = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  const disabled = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
  keys.disabled = disabled?.Arn ?? '';
  // moto's DisableKey accepts a key id only, not an ARN.
  await kms.send(new DisableKeyCommand({ KeyId: disabled?.KeyId }));
  keys.rsa =
    (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata
      ?.Arn ?? '';
  keys.west = (await kmsFor(t, 'us-west-2').send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
});

const cases: [string, () => string[], number, RegExp, { endpoint?: boolean }?][] = [
  [
    'missing --bucket',
    () => ['enable-sse', '--kms-key', keys.good ?? ''],
    2,
    /required option '--bucket <name>' not specified/,
  ],
  [
    'unknown bucket',
    () => ['enable-sse', '--bucket', `${bucket}-nope`, '--kms-key', keys.good ?? ''],
    2,
    /does not exist: check --bucket/,
  ],
  [
    'bad key alias',
    () => ['enable-sse', '--bucket', bucket, '--kms-key', 'alias/does-not-exist'],
    2,
    /KMS key alias\/does-not-exist was not found in us-east-1/,
  ],
  [
    'disabled key',
    () => ['enable-sse', '--bucket', bucket, '--kms-key', keys.disabled ?? ''],
    3,
    /is Disabled, not Enabled: enable it/,
  ],
  [
    'key in another region',
    () => ['enable-sse', '--bucket', bucket, '--kms-key', keys.west ?? ''],
    3,
    /is in us-west-2 but the bucket is in us-east-1/,
  ],
  [
    'asymmetric key',
    () => ['enable-sse', '--bucket', bucket, '--kms-key', keys.rsa ?? ''],
    3,
    /RSA_2048.*SYMMETRIC_DEFAULT/,
  ],
  [
    '--concurrency 0',
    () => ['verify', '--bucket', bucket, '--kms-key', keys.good ?? '', '--live', '--concurrency', '0'],
    2,
    /invalid --concurrency "0": must be at least 1/,
  ],
  [
    'unknown option',
    () => ['enable-sse', '--bucket', bucket, '--kms-key', keys.good ?? '', '--force'],
    2,
    /unknown option '--force'/,
  ],
  [
    'unreachable endpoint',
    () => [
      '--endpoint-url',
      'http://127.0.0.1:9',
      'enable-sse',
      '--bucket',
      bucket,
      '--kms-key',
      keys.good ?? '',
    ],
    4,
    /cannot reach http:\/\/127.0.0.1:9 \(ECONNREFUSED\)/,
    { endpoint: false },
  ],
];

describe('bad input on moto', () => {
  it.each(cases)('%s', async (_name, argv, code, line, opts) => {
    const before = await config();
    const r = await runBin(argv(), t, { endpoint: opts?.endpoint ?? true });
    expect(r.code, r.stderr).toBe(code);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(line);
    expect(r.stdout).toBe('');
    expect(await config()).toEqual(before);
  });
});
