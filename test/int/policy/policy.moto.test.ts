// policy against moto, through the built CLI: the key alias resolves to its ARN, the account comes
// from STS and the region from the bucket; offline mode makes no call at all; the inventory
// destination statement is the one setup-inventory really writes.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { balanced, layoutProblems } from '../../core/policy/hcl-check.js';
import { IamPolicy, scanWildcards } from '../../core/policy/iam-scan.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const bucket = uniqueBucket('policy-src');
const ops = uniqueBucket('policy-ops');
const alias = `alias/${bucket}`;
let keyArn = '';
let accountId = '';

interface Out {
  kmsKey: string;
  accountId: string;
  region: string;
  roleArn: string;
  documents: { name: string; policy: { Statement: { Sid: string; [k: string]: unknown }[] } }[];
  terraform?: string;
}

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'policy test' }))).KeyMetadata?.Arn ?? '';
  accountId = keyArn.split(':')[4] ?? '';
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: ops }));
});

describe('policy on moto', () => {
  it('resolves the alias, the account and the region, and prints least-privilege documents', async () => {
    const r = await runBin(
      [
        '--json',
        'policy',
        '--bucket',
        bucket,
        '--kms-key',
        alias,
        '--manifest-bucket',
        `s3://${ops}/s3-encrypt`,
      ],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const [out] = r.lines() as Out[];
    expect(out).toMatchObject({
      kmsKey: keyArn,
      accountId,
      region: 'us-east-1',
      roleArn: `arn:aws:iam::${accountId}:role/s3-encrypt-batch`,
    });
    expect(out?.documents.map((d) => d.name)).toEqual([
      'app',
      'batch-role-trust',
      'batch-role-permissions',
      'inventory-destination',
      'key-policy',
    ]);
    for (const d of out?.documents ?? []) {
      expect(IamPolicy.safeParse(d.policy).success, d.name).toBe(true);
      expect(scanWildcards(d.policy), d.name).toEqual([]);
    }
    expect(JSON.stringify(out)).not.toContain(alias);
    expect(r.stderr).not.toContain('Resource "*"');
  });

  it('prints Terraform that follows terraform fmt layout', async () => {
    const r = await runBin(
      ['policy', '--bucket', bucket, '--kms-key', alias, '--manifest-bucket', ops, '--format', 'terraform'],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('data "aws_iam_policy_document" "s3_encrypt_batch_role_permissions" {');
    expect(balanced(r.stdout)).toBe(true);
    expect(layoutProblems(r.stdout)).toEqual([]);
  });

  it('works offline with a key ARN, --account-id and --region: a dead endpoint is never called', async () => {
    const r = await runBin(
      [
        '--endpoint-url',
        'http://127.0.0.1:9',
        '--json',
        'policy',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--account-id',
        accountId,
        '--region',
        'us-east-1',
        '--for',
        'batch-role',
        '--manifest-bucket',
        ops,
      ],
      t,
      { endpoint: false },
    );
    expect(r.code, r.stderr).toBe(0);
    const [out] = r.lines() as Out[];
    expect(out?.documents.map((d) => d.name)).toEqual(['batch-role-trust', 'batch-role-permissions']);
    // The same command without --account-id must go online, and the dead endpoint then fails it.
    const online = await runBin(
      [
        '--endpoint-url',
        'http://127.0.0.1:9',
        'policy',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--region',
        'us-east-1',
        '--for',
        'app',
      ],
      t,
      { endpoint: false },
    );
    expect(online.code).toBe(4);
    expect(online.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('adds the S3 inventory-delivery key statement when the manifest bucket encrypts with the key', async () => {
    const kmsOps = uniqueBucket('policy-kms-ops');
    await s3.send(new CreateBucketCommand({ Bucket: kmsOps }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: kmsOps,
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
    const r = await runBin(
      ['policy', '--bucket', bucket, '--kms-key', alias, '--manifest-bucket', kmsOps, '--for', 'key-policy'],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { Statement: { Sid: string; Condition?: unknown }[] };
    expect(doc.Statement.map((s) => s.Sid)).toEqual([
      'S3EncryptBatchRoleUseKey',
      'S3EncryptInventoryDelivery',
    ]);
    expect(doc.Statement[1]?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': [accountId] },
      ArnLike: { 'aws:SourceArn': [`arn:aws:s3:::${bucket}`] },
    });
  });

  it('prints the same inventory-destination statement that setup-inventory writes', async () => {
    const dest = uniqueBucket('policy-inv-dest');
    await s3.send(new CreateBucketCommand({ Bucket: dest }));
    const setup = await runBin(
      ['setup-inventory', '--bucket', bucket, '--destination', `s3://${dest}/reports`],
      t,
    );
    expect(setup.code, setup.stderr).toBe(0);
    const written = JSON.parse(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: dest }))).Policy ?? '{}',
    ) as { Statement: Record<string, unknown>[] };
    const r = await runBin(
      [
        'policy',
        '--bucket',
        bucket,
        '--kms-key',
        alias,
        '--manifest-bucket',
        `s3://${dest}/reports`,
        '--for',
        'inventory-destination',
      ],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    const printed = (JSON.parse(r.stdout) as { Statement: Record<string, unknown>[] }).Statement[0] ?? {};
    const ours = written.Statement.find((s) => s.Sid === printed.Sid);
    const lists = (v: unknown): unknown =>
      Array.isArray(v)
        ? v
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lists(x)]))
          : [v];
    expect(ours && lists(ours)).toEqual(lists(printed));
  });

  it('refuses a key in another region (exit 3) and --skip-key-check (exit 2)', async () => {
    const west = (await kmsFor(t, 'us-west-2').send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
    let r = await runBin(['policy', '--bucket', bucket, '--kms-key', west, '--for', 'app'], t);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `error: KMS key ${west} is in us-west-2 but the bucket is in us-east-1: S3 only uses keys from the bucket's region: choose a key in us-east-1\n`,
    );
    r = await runBin(
      ['policy', '--bucket', bucket, '--kms-key', keyArn, '--skip-key-check', '--for', 'app'],
      t,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('policy does not accept --skip-key-check');
  });
});
