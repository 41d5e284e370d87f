// enable-sse against moto (AWS semantics for S3 + KMS), through the built CLI as a user runs it.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cli.js';
import { recordingProxy } from '../support/recording-proxy.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const bucket = uniqueBucket('enable-sse');
let keyArn = '';
const alias = `alias/${bucket}`;

async function encryptionOf(b: string) {
  return (await s3.send(new GetBucketEncryptionCommand({ Bucket: b }))).ServerSideEncryptionConfiguration;
}

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'enable-sse test' }))).KeyMetadata?.Arn ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // An existing configuration with a field enable-sse does not manage: it must survive.
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
            BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
          },
        ],
      },
    }),
  );
});

describe('enable-sse on moto', () => {
  it('--dry-run prints the diff and changes nothing (read back)', async () => {
    const before = await encryptionOf(bucket);
    const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', alias, '--dry-run'], t);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('+ SSEAlgorithm: aws:kms');
    expect(r.stdout).toContain(`+ KMSMasterKeyID: ${keyArn}`);
    expect(await encryptionOf(bucket)).toEqual(before);
  });

  it('resolves the alias to the ARN, writes BucketKeyEnabled, keeps BlockedEncryptionTypes on the wire', async () => {
    // moto stores no BlockedEncryptionTypes, so the proxy plays the part of AWS on reads and
    // records the PutBucketEncryption body the CLI sends.
    const blocked = '<BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes>';
    const proxy = await recordingProxy(t.endpoint, (req, body) =>
      req.method === 'GET' && req.url.includes('encryption') && !body.includes('BlockedEncryptionTypes')
        ? body.replace('</Rule>', `${blocked}</Rule>`)
        : body,
    );
    try {
      const r = await runBin(
        ['--json', '--endpoint-url', proxy.endpoint, 'enable-sse', '--bucket', bucket, '--kms-key', alias],
        t,
        { endpoint: false },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines()).toEqual([expect.objectContaining({ outcome: 'applied', kmsKey: keyArn })]);
      const puts = proxy.requests.filter((q) => q.method === 'PUT' && q.url.includes('encryption'));
      expect(puts).toHaveLength(1);
      expect(puts[0]?.body).toContain(blocked);
      expect(puts[0]?.body).toContain(`<KMSMasterKeyID>${keyArn}</KMSMasterKeyID>`);
      expect(proxy.requests.some((q) => q.method === 'DELETE')).toBe(false);
    } finally {
      await proxy.close();
    }
    const rule = (await encryptionOf(bucket))?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: keyArn,
    });
    expect(rule?.BucketKeyEnabled).toBe(true);
  });

  it('is a no-op on the second run', async () => {
    const before = await encryptionOf(bucket);
    const r = await runBin(['enable-sse', '--bucket', bucket, '--kms-key', alias], t);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Already in place');
    expect(await encryptionOf(bucket)).toEqual(before);
  });

  it('new plain PutObjects then come back as aws:kms with the key ARN and a bucket key', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after/new.txt', Body: 'new' }));
    const h = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'after/new.txt' }));
    expect(h.ServerSideEncryption).toBe('aws:kms');
    expect(h.SSEKMSKeyId).toBe(keyArn);
    expect(h.BucketKeyEnabled).toBe(true);
  });
});
