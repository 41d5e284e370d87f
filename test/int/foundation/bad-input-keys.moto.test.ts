// Hostile inputs and odd stores (issue 10, items 6, 7, 9-14), through the built CLI on moto: each
// case plain and with --json, one line on stderr naming the problem, the documented exit code, the
// {"error":...} document with --json, no raw control character or SDK text, and nothing changed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  ListBucketInventoryConfigurationsCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProxy, s3Error, type AnswerProxy } from '../support/answer-proxy.js';
import { batchEnv } from '../support/batch-target.js';
import { runBin, type ProcResult } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import { snapshotBucket } from '../support/snapshot.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const ACCOUNT = '123456789012'; // moto's account

const bucket = uniqueBucket('keys-src');
const dest = uniqueBucket('keys-dst');
const bare = uniqueBucket('keys-bare'); // a destination with no bucket policy at all
const west = uniqueBucket('keys-west'); // in us-west-2
let key = '';
let keyId = '';
const alias = `alias/keysmsgs-${Date.now().toString(36)}`;
const destPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${dest}`, `arn:aws:s3:::${dest}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

async function policyOf(b: string): Promise<string | undefined> {
  try {
    return (await s3.send(new GetBucketPolicyCommand({ Bucket: b }))).Policy;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchBucketPolicy') return undefined;
    throw e;
  }
}

async function encryptionOf(b: string): Promise<unknown> {
  try {
    return (await s3.send(new GetBucketEncryptionCommand({ Bucket: b }))).ServerSideEncryptionConfiguration;
  } catch (e) {
    if ((e as { name?: string }).name === 'ServerSideEncryptionConfigurationNotFoundError') return undefined;
    throw e;
  }
}

/** Everything any of these commands could write: configurations, policies, objects. */
async function world(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const b of [bucket, dest, bare]) {
    out[b] = {
      encryption: await encryptionOf(b),
      policy: await policyOf(b),
      inventory: (await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: b })))
        .InventoryConfigurationList,
      objects: [...(await snapshotBucket(s3, b, { acls: false })).values()],
    };
  }
  return out;
}

// C0 (but not the newline that ends a line), DEL and C1 controls: none may reach a terminal raw.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

interface Refusal {
  argv: string[];
  code: number;
  line: RegExp;
  errorCode?: string;
  env?: Record<string, string>;
  endpoint?: boolean;
  /** Text that must not appear anywhere in the output (raw SDK or OpenSSL words). */
  never?: RegExp;
}

/** One refusal, plain and with --json: one line, the exit code, the JSON document, nothing changed. */
async function expectRefused(c: Refusal): Promise<void> {
  const before = await world();
  for (const json of [false, true]) {
    const r: ProcResult = await runBin([...(json ? ['--json'] : []), ...c.argv], t, {
      env: c.env,
      endpoint: c.endpoint ?? true,
    });
    const label = `${json ? '--json ' : ''}${JSON.stringify(c.argv)}\n${r.stderr}`;
    expect(r.code, label).toBe(c.code);
    const lines = r.stderr.trim().split('\n');
    expect(lines, label).toHaveLength(1);
    expect(lines[0], label).toMatch(/^error: /);
    expect(lines[0], label).toMatch(c.line);
    expect(r.stderr + r.stdout, label).not.toMatch(RAW_CONTROL);
    if (c.never) expect(r.stderr + r.stdout, label).not.toMatch(c.never);
    if (json) {
      const docs = r.lines() as { error?: { code: string; exitCode: number; message: string } }[];
      expect(docs, label).toHaveLength(1);
      expect(docs[0]?.error?.exitCode, label).toBe(c.code);
      if (c.errorCode) expect(docs[0]?.error?.code, label).toBe(c.errorCode);
    } else {
      expect(r.stdout, label).toBe('');
    }
  }
  expect(await world()).toEqual(before);
}

beforeAll(async () => {
  const made = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
  key = made?.Arn ?? '';
  keyId = made?.KeyId ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  for (const b of [bucket, dest, bare]) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await s3.send(
    new CreateBucketCommand({ Bucket: west, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: dest, Policy: destPolicy }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: 'hello' }));
});

describe('item 6: control characters in flag values are refused, and never echoed raw', () => {
  it.each([
    [
      'a newline in verify --prefix',
      () => ['verify', '--kms-key', key, '--live', '--prefix', 'logs/\nfake line'],
    ],
    [
      'an ESC sequence in verify --prefix',
      () => ['verify', '--kms-key', key, '--live', '--prefix', '\u001b[2J\u001b[31mred'],
    ],
    [
      '\\x01 in setup-inventory --prefix',
      () => ['setup-inventory', '--destination', dest, '--prefix', 'a\u0001b'],
    ],
    [
      'a newline in setup-inventory --destination-prefix',
      () => ['setup-inventory', '--destination', dest, '--destination-prefix', 'r\nx'],
    ],
    [
      'a C1 CSI in encrypt --prefix',
      () => ['encrypt', '--kms-key', key, '--dry-run', '--no-state', '--prefix', 'x\u009b31m'],
    ],
  ])('%s', async (_name, argv) => {
    const [command, ...rest] = argv();
    await expectRefused({
      argv: [command ?? '', '--bucket', bucket, ...rest],
      code: 2,
      line: /contains a control character: give the value as one line of plain text/,
      errorCode: 'ControlCharacter',
    });
  });

  it('an ESC sequence in an unknown option is shown escaped', async () => {
    await expectRefused({
      argv: ['enable-sse', '--bucket', bucket, '--kms-key', key, '--\u001b[2Jwipe'],
      code: 2,
      line: /unknown option '--\\u001b\[2Jwipe'/,
    });
  });

  it('a control character in AWS_PROFILE is refused before any call', async () => {
    await expectRefused({
      argv: ['enable-sse', '--bucket', bucket, '--kms-key', key],
      env: { AWS_PROFILE: 'dev\nprod' },
      code: 2,
      line: /AWS_PROFILE "dev\\nprod" contains a control character/,
    });
  });
});

describe('item 7: setup-inventory undoes its bucket policy write when the configuration write fails', () => {
  let proxy: AnswerProxy;
  beforeAll(async () => {
    proxy = await answerProxy(t.endpoint, (req) =>
      req.method === 'PUT' && /[?&]inventory(=|&|$)/.test(req.url)
        ? { status: 500, body: s3Error('InternalError', 'We encountered an internal error.') }
        : undefined,
    );
  });
  afterAll(() => proxy.close());

  it.each([
    ['a destination with a policy: restored byte for byte', () => dest],
    ['a destination without a policy: none afterwards', () => bare],
  ])('%s', async (_name, destination) => {
    const before = await policyOf(destination());
    const answered = proxy.answered.length;
    await expectRefused({
      argv: [
        '--endpoint-url',
        proxy.endpoint,
        'setup-inventory',
        '--bucket',
        bucket,
        '--destination',
        destination(),
      ],
      endpoint: false,
      code: 4,
      line:
        before === undefined
          ? /s3:PutInventoryConfiguration .* failed with InternalError .*; the bucket policy of \S+, written just before, was deleted again/
          : /s3:PutInventoryConfiguration .* failed with InternalError .*; the bucket policy of \S+, written just before, was restored to its previous text/,
    });
    // The failing write was really attempted (both runs), and the policy is exactly as before.
    expect(proxy.answered.length).toBeGreaterThan(answered);
    expect(await policyOf(destination())).toBe(before);
  });
});

describe('items 9 and 10: the key used is the key named', () => {
  it('alias/aws/s3 is refused by its name, though the store calls it customer managed', async () => {
    for (const extra of [[], ['--skip-key-check']])
      await expectRefused({
        argv: ['enable-sse', '--bucket', bucket, '--kms-key', 'alias/aws/s3', ...extra],
        code: 3,
        line: /KMS key alias\/aws\/s3 is an AWS managed key \(the alias\/aws\/ prefix is reserved for them\)/,
        errorCode: 'KeyAwsManaged',
      });
  });

  it('alias/aws/s3 with --allow-aws-managed-key is accepted (dry run)', async () => {
    const r = await runBin(
      ['enable-sse', '--bucket', bucket, '--kms-key', 'alias/aws/s3', '--allow-aws-managed-key', '--dry-run'],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it('a key ARN of another account is refused with both ARNs shown', async () => {
    const other = key.replace(`:${ACCOUNT}:`, ':999999999999:');
    await expectRefused({
      argv: ['enable-sse', '--bucket', bucket, '--kms-key', other],
      code: 3,
      line: new RegExp(
        `--kms-key ${other.replace(/[/.]/g, '\\$&')} was asked for, but KMS described ${key.replace(/[/.]/g, '\\$&')} \\(account ${ACCOUNT}, not 999999999999\\)`,
      ),
      errorCode: 'KeyMismatch',
    });
  });

  it('an alias ARN of another account is refused', async () => {
    await expectRefused({
      argv: ['enable-sse', '--bucket', bucket, '--kms-key', `arn:aws:kms:us-east-1:999999999999:${alias}`],
      code: 3,
      line: /was asked for, but KMS described .* \(account 123456789012, not 999999999999\)/,
      errorCode: 'KeyMismatch',
    });
  });

  it('policy and encrypt refuse the same ARN', async () => {
    const other = key.replace(`:${ACCOUNT}:`, ':999999999999:');
    await expectRefused({
      argv: ['policy', '--bucket', bucket, '--kms-key', other, '--for', 'key-policy'],
      code: 3,
      line: /was asked for, but KMS described/,
    });
    await expectRefused({
      argv: ['encrypt', '--bucket', bucket, '--kms-key', other, '--dry-run', '--no-state'],
      code: 3,
      line: /was asked for, but KMS described/,
    });
  });

  it('the key and its own alias ARN are accepted (dry run)', async () => {
    for (const ref of [key, keyId, alias, `arn:aws:kms:us-east-1:${ACCOUNT}:${alias}`]) {
      const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', ref, '--dry-run'], t);
      expect(r.code, `${ref}: ${r.stderr}`).toBe(0);
    }
  });
});

describe('item 11: a named profile that does not exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3e-profiles-'));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, '[profile other]\nregion = us-east-1\n');
  writeFileSync(
    credentials,
    `[real]\naws_access_key_id = ${t.accessKeyId}\naws_secret_access_key = ${t.secretAccessKey}\n`,
  );
  const files = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };

  it.each([
    ['with environment credentials too', {}],
    ['without environment credentials', { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }],
  ])('is named, with the files read (%s)', async (_name, env) => {
    for (const how of [{ flag: true }, { flag: false }])
      await expectRefused({
        argv: [
          ...(how.flag ? ['--profile', 'nosuch'] : []),
          'enable-sse',
          '--bucket',
          bucket,
          '--kms-key',
          key,
        ],
        env: { ...files, ...env, ...(how.flag ? {} : { AWS_PROFILE: 'nosuch' }) },
        code: 3,
        line: new RegExp(
          `the AWS profile "nosuch" \\(from --profile or AWS_PROFILE\\) is not in ${config} \\(AWS_CONFIG_FILE\\) or ${credentials} \\(AWS_SHARED_CREDENTIALS_FILE\\)`,
        ),
        errorCode: 'ProfileNotFound',
        never: /Multiple credential sources|set AWS_PROFILE \(or --profile\)/,
      });
  });

  it('a profile that exists but gives no credentials is named, not "set AWS_PROFILE"', async () => {
    await expectRefused({
      argv: ['--profile', 'other', 'enable-sse', '--bucket', bucket, '--kms-key', key],
      env: { ...files, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_EC2_METADATA_DISABLED: 'true' },
      code: 3,
      line: /the AWS profile "other" \(from --profile or AWS_PROFILE\) gave no credentials: give it credentials/,
      errorCode: 'NoCredentials',
      never: /set AWS_PROFILE \(or --profile\)/,
    });
  });

  it('an existing profile next to environment credentials: no SDK warning, unless --verbose (one debug line)', async () => {
    const argv = ['--profile', 'real', 'enable-sse', '--bucket', bucket, '--kms-key', key, '--dry-run'];
    const quiet = await runBin(argv, t, { env: files });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/WARNING|Multiple credential sources/);
    const verbose = await runBin(['--verbose', ...argv], t, { env: files });
    expect(verbose.code, verbose.stderr).toBe(0);
    const warned = verbose.stderr.split('\n').filter((l) => /Multiple credential sources/.test(l));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^debug: sdk warning: @aws-sdk\/credential-provider-node .* AWS_PROFILE value/);
  });
});

describe('item 12: the endpoint speaks the other protocol', () => {
  it('https:// to a plain HTTP port says so, without OpenSSL text or a retry hint', async () => {
    const https = t.endpoint.replace(/^http:/, 'https:');
    await expectRefused({
      argv: ['--endpoint-url', https, 'enable-sse', '--bucket', bucket, '--kms-key', key],
      endpoint: false,
      code: 2,
      line: new RegExp(
        `the endpoint ${https.replace(/[/.]/g, '\\$&')} speaks plain HTTP, not HTTPS .*: use --endpoint-url ${t.endpoint.replace(/[/.]/g, '\\$&')}`,
      ),
      errorCode: 'EndpointNotTls',
      never: /wrong version number|SSL routines|retry/,
    });
  });

  it('http:// to a port that answers with a TLS alert says it is not plain HTTP', async () => {
    // What a TLS server sends to a client that speaks plain HTTP: a fatal alert record.
    const server = net.createServer((sock) => {
      sock.once('data', () => sock.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expectRefused({
        argv: ['--endpoint-url', endpoint, 'enable-sse', '--bucket', bucket, '--kms-key', key],
        endpoint: false,
        code: 2,
        line: /did not answer in plain HTTP \(it looks like a TLS\/HTTPS port\) .*: use --endpoint-url https:\/\/127\.0\.0\.1:/,
        errorCode: 'EndpointNotHttp',
        never: /HPE_|Parse Error/,
      });
    } finally {
      server.close();
    }
  });
});

describe('item 13: an answer the SDK cannot parse', () => {
  it('is one line naming the store, exit 4, no parser text', async () => {
    const proxy = await answerProxy(t.endpoint, (req) =>
      req.method === 'GET' && /[?&]encryption(=|&|$)/.test(req.url)
        ? { status: 200, body: '<?xml version="1.0"?><ServerSideEncryptionConfiguration><Rule>' }
        : undefined,
    );
    try {
      await expectRefused({
        argv: ['--endpoint-url', proxy.endpoint, 'enable-sse', '--bucket', bucket, '--kms-key', key],
        endpoint: false,
        code: 4,
        line: /s3:GetEncryptionConfiguration on bucket \S+: the store at http:\/\/127\.0\.0\.1:\d+ answered HTTP 200 with a body that is not a valid S3 response/,
        errorCode: 'UnreadableAnswer',
        never: /@aws-sdk|XML parse error|Deserialization/,
      });
    } finally {
      await proxy.close();
    }
  });

  it('--multipart-threshold 0 means every non-empty object goes multipart, and works', async () => {
    const b = uniqueBucket('keys-mp0');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'small.txt', Body: 'hello' }));
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'empty', Body: '' }));
    expect((await runBin(['enable-sse', '--bucket', b, '--kms-key', key], t)).code).toBe(0);
    const before = await snapshotBucket(s3, b, { acls: false });
    const r = await runBin(
      ['--json', 'encrypt', '--bucket', b, '--kms-key', key, '--multipart-threshold', '0', '--no-state'],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const records = r.lines() as { key?: string; action?: string; outcome?: string }[];
    expect(records.find((x) => x.key === 'small.txt')).toMatchObject({
      action: 'multipart',
      outcome: 'done',
    });
    expect(records.find((x) => x.key === 'empty')).toMatchObject({ outcome: 'done' });
    const after = await snapshotBucket(s3, b, { acls: false });
    for (const [k, o] of before) expect(after.get(k)?.sha256, k).toBe(o.sha256);
  });
});

describe('item 14: create-job checks the report bucket', () => {
  // create-job first requires the bucket default SSE-KMS under the key with a Bucket Key (issue 11).
  const ready = uniqueBucket('keys-ready');
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: ready }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: ready,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
  });
  const base = () => [
    'create-job',
    '--generate-manifest',
    '--group',
    'update-encryption',
    '--bucket',
    ready,
    '--kms-key',
    key,
    '--role-arn',
    `arn:aws:iam::${ACCOUNT}:role/s3-encrypt-batch`,
  ];

  it.each([
    [
      'a report bucket that does not exist',
      () => `s3://${bucket}-nope/reports`,
      /the report bucket \S+-nope does not exist/,
    ],
    [
      'a report bucket in another region',
      () => `s3://${west}/reports`,
      /the report bucket \S+ is in us-west-2, but the job runs in us-east-1/,
    ],
  ])('%s: a warning in a dry run, a refusal for real', async (_name, report, problem) => {
    for (const json of [false, true]) {
      const dry = await runBin(
        [...(json ? ['--json'] : []), ...base(), '--report', report(), '--dry-run'],
        t,
      );
      expect(dry.code, dry.stderr).toBe(0);
      const warnings = dry.stderr.split('\n').filter((l) => l.startsWith('warning: '));
      expect(
        warnings.some((l) => problem.test(l)),
        dry.stderr,
      ).toBe(true);
    }
    // For real, with an S3 Control endpoint (the local Batch service): the report bucket is what is refused.
    await expectRefused({ argv: [...base(), '--report', report()], code: 2, line: problem, env: batchEnv() });
  });
});
