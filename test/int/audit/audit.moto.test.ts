// audit across three accounts on moto, through the built CLI. moto keeps every account's state
// apart by the account of the credentials, and maps assumed-role credentials to the role's
// account (GetCallerIdentity answers arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION), so an
// AssumeRole into arn:aws:iam::ACCOUNT:role/NAME really enters ACCOUNT. A fresh management
// account per run (entered by AssumeRole from the base credentials) holds a fresh Organization
// with two member accounts, so nothing any other test made is listed. moto does not enforce
// bucket policies for these principals (probed: a Deny on s3:GetEncryptionConfiguration is not
// applied), so the denied bucket is a proxy's AccessDenied (audit-proxy.ts, which also restores
// the inventory fields moto's listing loses).
import { createHash, createHmac, randomBytes, randomInt, type Hash, type Hmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRecord, AuditSummary, type BucketRecord } from '../../../src/core/audit/records.js';
import { auditProxy, type AuditProxy } from './audit-proxy.js';
import { runBin } from '../support/cli.js';
import { putDelivery, record, renderDelivery } from '../support/inventory-delivery.js';
import { renderParquetDelivery } from '../support/inventory-parquet.js';
import { target } from '../support/servers.js';

const t = target();
const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const PREFIX = `aud-${run}-`;
const ROLE = 'S3EncryptAudit';
const ALIAS = `alias/audit-${run}`;

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}
interface Account {
  id: string;
  creds: Creds;
  key: string;
  otherKey: string;
  euKey: string;
  dest: string;
}

const base: Creds = { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey };
const sts = (c: Creds) => new STSClient({ region: t.region, endpoint: t.endpoint, credentials: c });
const s3 = (c: Creds) =>
  new S3Client({
    region: t.region,
    endpoint: t.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: c,
  });
const kms = (c: Creds, region = t.region) => new KMSClient({ region, endpoint: t.endpoint, credentials: c });

async function assume(from: Creds, account: string): Promise<Creds> {
  const out = await sts(from).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE}`, RoleSessionName: 'setup' }),
  );
  const c = out.Credentials;
  return {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken,
  };
}

/** The hash constructor SignatureV4 takes, from node:crypto (the SDK's own is not a dependency of the tests). */
class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: unknown) {
    this.h = secret ? createHmac('sha256', secret as Buffer) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

/** One Organizations call (AWS JSON 1.1), signed with the SDK's signer: no Organizations client is a dependency. */
async function organizations(c: Creds, op: string, body: object): Promise<Record<string, unknown>> {
  const url = new URL(t.endpoint);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({
    credentials: c,
    region: 'us-east-1',
    service: 'organizations',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSOrganizationsV20161128.${op}`,
    },
    body: text,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers, body: text });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${op}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const kmsRule = (key: string, bucketKey = true): ServerSideEncryptionConfiguration => ({
  Rules: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
      BucketKeyEnabled: bucketKey,
    },
  ],
});
const sseS3Rule: ServerSideEncryptionConfiguration = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
};
const GOOD = { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED', Size: '100' };

/** Every bucket of one account and what audit must say of it. */
interface Spec {
  name: string;
  verdict: 'compliant' | 'needs-work' | 'unknown';
  region?: string;
  encryption?: (a: Account) => ServerSideEncryptionConfiguration;
  versioned?: boolean;
  lock?: boolean;
  inventory?: boolean;
  /** The inventory is delivered in Parquet (S3's schema, written by pyarrow) instead of CSV. */
  parquet?: boolean;
  /** Inventory rows of the delivery (none: configured but never delivered). */
  rows?: Record<string, string>[];
  /** Real objects, for --sample. */
  objects?: (a: Account) => { key: string; sse?: 'AES256' | 'aws:kms'; kmsKey?: string }[];
}

const SPECS: Spec[] = [
  {
    name: 'good',
    verdict: 'compliant',
    encryption: (a) => kmsRule(a.key),
    inventory: true,
    rows: [GOOD, GOOD, GOOD],
  },
  {
    name: 'good-versioned',
    verdict: 'compliant',
    versioned: true,
    encryption: (a) => kmsRule(a.key),
    inventory: true,
    rows: [GOOD],
  },
  {
    name: 'sse-s3',
    verdict: 'needs-work',
    encryption: () => sseS3Rule,
    inventory: true,
    rows: [
      { EncryptionStatus: 'SSE-S3', Size: '5000' },
      { EncryptionStatus: 'NOT-SSE', Size: '700' },
    ],
  },
  { name: 'no-default', verdict: 'needs-work' },
  {
    name: 'other-key',
    verdict: 'needs-work',
    encryption: (a) => kmsRule(a.otherKey),
    inventory: true,
    rows: [GOOD],
  },
  { name: 'no-bucket-key', verdict: 'needs-work', encryption: (a) => kmsRule(a.key, false) },
  {
    name: 'good-default-old-objects',
    verdict: 'needs-work',
    encryption: (a) => kmsRule(a.key),
    inventory: true,
    rows: [GOOD, { EncryptionStatus: 'NOT-SSE', Size: '10' }],
  },
  {
    name: 'locked',
    verdict: 'compliant',
    lock: true,
    versioned: true, // Object Lock turns versioning on
    encryption: (a) => kmsRule(a.key),
    inventory: true,
    rows: [GOOD],
  },
  {
    name: 'no-inventory',
    verdict: 'unknown',
    encryption: (a) => kmsRule(a.key),
    objects: (a) => [
      { key: 'x1', sse: 'aws:kms', kmsKey: a.key },
      { key: 'x2', sse: 'aws:kms', kmsKey: a.key },
    ],
  },
  {
    name: 'parquet-good',
    verdict: 'compliant',
    encryption: (a) => kmsRule(a.key),
    inventory: true,
    parquet: true,
    rows: [GOOD, GOOD],
  },
  {
    name: 'parquet-old',
    verdict: 'needs-work',
    encryption: (a) => kmsRule(a.key),
    inventory: true,
    parquet: true,
    rows: [GOOD, { EncryptionStatus: 'SSE-S3', Size: '42' }],
  },
  { name: 'no-delivery', verdict: 'unknown', encryption: (a) => kmsRule(a.key), inventory: true },
  { name: 'eu-kms', verdict: 'unknown', region: 'eu-west-1', encryption: (a) => kmsRule(a.euKey) },
];

let accounts: Account[] = [];
let mgmt: Account;
let proxy: AuditProxy;
let dir: string;
const DENIED = `${PREFIX}m-denied`;
const bucketName = (a: Account, s: Spec) => `${PREFIX}${a.id.slice(-4)}-${s.name}`;

async function makeAccount(id: string, creds: Creds): Promise<Account> {
  const key = (await kms(creds).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await kms(creds).send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: key }));
  const otherKey = (await kms(creds).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  const eu = kms(creds, 'eu-west-1');
  const euKey = (await eu.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await eu.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: euKey }));
  const dest = `audd-${run}-${id.slice(-4)}`;
  await s3(creds).send(new CreateBucketCommand({ Bucket: dest }));
  return { id, creds, key, otherKey, euKey, dest };
}

async function makeBucket(a: Account, s: Spec, name = bucketName(a, s)): Promise<void> {
  const c = s3(a.creds);
  await c.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(s.region ? { CreateBucketConfiguration: { LocationConstraint: s.region as 'eu-west-1' } } : {}),
      ...(s.lock ? { ObjectLockEnabledForBucket: true } : {}),
    }),
  );
  const enc = s.encryption?.(a);
  if (enc)
    await c.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: enc }));
  if (s.versioned)
    await c.send(
      new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  for (const o of s.objects?.(a) ?? [])
    await c.send(
      new PutObjectCommand({
        Bucket: name,
        Key: o.key,
        Body: 'x',
        ...(o.sse ? { ServerSideEncryption: o.sse } : {}),
        ...(o.kmsKey ? { SSEKMSKeyId: o.kmsKey, BucketKeyEnabled: true } : {}),
      }),
    );
  if (!s.inventory) return;
  await c.send(
    new PutBucketInventoryConfigurationCommand({
      Bucket: name,
      Id: 'inv',
      InventoryConfiguration: {
        Id: 'inv',
        IsEnabled: true,
        IncludedObjectVersions: 'All',
        Schedule: { Frequency: 'Daily' },
        OptionalFields: ['Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus'],
        Destination: {
          S3BucketDestination: {
            Bucket: `arn:aws:s3:::${a.dest}`,
            Format: s.parquet ? 'Parquet' : 'CSV',
            Prefix: 'inv',
            AccountId: a.id,
          },
        },
      },
    }),
  );
  if (s.rows) {
    const rows = s.rows.map((r, i) => record(name, `k${i}`, r));
    const where = { sourceBucket: name, destinationBucket: a.dest, prefix: 'inv', id: 'inv' };
    await putDelivery(
      c,
      a.dest,
      s.parquet ? renderParquetDelivery(rows, where) : renderDelivery(rows, where),
    );
  }
}

beforeAll(async () => {
  // A management account no other test uses: account ids are 12 digits, moto takes any.
  const mgmtId = `9${String(randomInt(10 ** 10, 10 ** 11 - 1))}`;
  const mgmtCreds = await assume(base, mgmtId);
  await organizations(mgmtCreds, 'CreateOrganization', { FeatureSet: 'ALL' });
  const members: string[] = [];
  for (const n of [1, 2]) {
    const out = await organizations(mgmtCreds, 'CreateAccount', {
      Email: `m${n}-${run}@example.com`,
      AccountName: `m${n}-${run}`,
    });
    members.push((out.CreateAccountStatus as { AccountId: string }).AccountId);
  }
  mgmt = await makeAccount(mgmtId, mgmtCreds);
  accounts = [mgmt];
  for (const id of members) accounts.push(await makeAccount(id, await assume(mgmtCreds, id)));
  await Promise.all(accounts.flatMap((a) => SPECS.map((s) => makeBucket(a, s))));
  // The denied bucket: right in every way, but its default encryption may not be read.
  await makeBucket(
    mgmt,
    { name: 'denied', verdict: 'unknown', encryption: (a) => kmsRule(a.key), inventory: true, rows: [GOOD] },
    DENIED,
  );
  proxy = await auditProxy(
    t.endpoint,
    (req) =>
      req.method === 'GET' &&
      /^\/[^/?]+\/?\?/.test(req.url) &&
      req.url.split(/\/?\?/)[0] === `/${DENIED}` &&
      /[?&]encryption(=|&|$)/.test(req.url),
  );
  dir = await mkdtemp(join(tmpdir(), 's3e-audit-int-'));
});

afterAll(async () => {
  await proxy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The CLI as the management account's operator, through the proxy. */
function audit(args: string[], opts: { timeoutMs?: number } = {}) {
  return runBin(['--endpoint-url', proxy.endpoint, ...args], t, {
    endpoint: false,
    env: {
      AWS_ACCESS_KEY_ID: mgmt.creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: mgmt.creds.secretAccessKey,
      AWS_SESSION_TOKEN: mgmt.creds.sessionToken ?? '',
    },
    ...opts,
  });
}

function parse(stdout: string): {
  buckets: Map<string, BucketRecord>;
  summary: AuditSummary;
  records: AuditRecord[];
} {
  const lines = stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
  const summary = AuditSummary.parse(lines.pop());
  const records = lines.map((l) => AuditRecord.parse(l));
  const buckets = new Map(
    records.filter((r): r is BucketRecord => r.type === 'bucket').map((r) => [r.bucket, r]),
  );
  return { buckets, summary, records };
}

describe('audit on moto: 3 accounts through Organizations and AssumeRole', () => {
  it('gives every bucket its row, verdict, counts, next command and cost; exit 1', async () => {
    const started = Date.now();
    const r = await audit([
      '--json',
      'audit',
      '--kms-key',
      ALIAS,
      '--role-name',
      ROLE,
      '--accounts',
      'org',
      '--bucket-prefix',
      PREFIX,
      '--report',
      join(dir, 'audit.html'),
    ]);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(1);
    // The evidence page: built from these very records (their SHA-256, as sha256sum gives it of
    // the saved stdout), naming every bucket and the denied permission.
    expect(r.stderr).toContain(`Evidence report: ${join(dir, 'audit.html')}`);
    const page = await readFile(join(dir, 'audit.html'), 'utf8');
    expect(page).toContain(createHash('sha256').update(r.stdout).digest('hex'));
    expect(page).toContain(DENIED);
    expect(page).toContain('denied: s3:GetEncryptionConfiguration');
    expect(page).toContain('NOT COMPLIANT');
    const { buckets, summary, records } = parse(r.stdout);
    expect(records.filter((x) => x.type === 'account')).toEqual([]);
    expect(buckets.size).toBe(accounts.length * SPECS.length + 1);
    for (const a of accounts)
      for (const s of SPECS) {
        const name = bucketName(a, s);
        const b = buckets.get(name);
        expect(b, name).toBeDefined();
        expect({ name, verdict: b?.verdict }).toEqual({ name, verdict: s.verdict });
        expect(b?.account).toBe(a.id);
        expect(b?.via).toBe(`arn:aws:iam::${a.id}:role/${ROLE}`);
        expect(b?.region).toBe(s.region ?? 'us-east-1');
        expect(b?.versioning).toBe(s.versioned ? 'Enabled' : 'Off');
        expect(b?.objectLock).toBe(s.lock === true);
        expect(b?.inventory?.usable).toBe(s.inventory === true);
        expect(b?.denied).toEqual([]);
        if (s.rows)
          expect(b?.objects).toMatchObject({ source: 'inventory', sample: false, objects: s.rows.length });
        else expect(b?.objects).toBeNull();
        expect(b?.next === null).toBe(s.verdict === 'compliant');
      }
    // Details of one account's rows.
    const m = (n: string) => buckets.get(`${PREFIX}${mgmt.id.slice(-4)}-${n}`);
    expect(m('good')?.defaultEncryption).toEqual({
      algorithm: 'aws:kms',
      kmsKey: mgmt.key,
      bucketKey: true,
      blockedEncryptionTypes: [],
      targetKey: true,
    });
    expect(m('other-key')?.defaultEncryption?.targetKey).toBe(false);
    expect(m('no-default')?.defaultEncryption?.algorithm).toBeNull();
    expect(m('eu-kms')?.defaultEncryption?.targetKey).toBe(true); // the alias, resolved in eu-west-1
    expect(m('sse-s3')?.objects?.byClass).toEqual({
      'SSE-S3': { objects: 1, bytes: 5000 },
      'NOT-SSE': { objects: 1, bytes: 700 },
    });
    // A Parquet delivery is counted as its CSV twin would be.
    expect(m('parquet-old')?.objects?.byClass).toEqual({
      compliant: { objects: 1, bytes: 100 },
      'SSE-S3': { objects: 1, bytes: 42 },
    });
    expect(m('sse-s3')?.cost).toMatchObject({ basis: 'manifests', partial: false });
    expect(m('sse-s3')?.cost?.totalUsd).toBeGreaterThan(0);
    expect(m('sse-s3')?.next).toBe(
      `s3-encrypt plan --bucket ${PREFIX}${mgmt.id.slice(-4)}-sse-s3 --kms-key ${ALIAS} --inventory s3://${mgmt.dest}/inv --id inv --region us-east-1`,
    );
    expect(m('no-default')?.cost).toBeNull(); // needs work, but nothing counted: not priced
    expect(m('no-inventory')?.next).toMatch(/^s3-encrypt setup-inventory /);
    expect(m('no-delivery')?.next).toMatch(/^s3-encrypt verify .* --live /);
    // The bucket whose default encryption may not be read: a row naming the permission.
    const denied = buckets.get(DENIED);
    expect(denied).toMatchObject({
      verdict: 'unknown',
      denied: ['s3:GetEncryptionConfiguration'],
      defaultEncryption: null,
    });
    expect(denied?.next).toMatch(/^grant s3:GetEncryptionConfiguration on bucket /);
    expect(proxy.denied.map((q) => q.url)).toEqual([`/${DENIED}/?encryption=`]);
    const compliant = SPECS.filter((s) => s.verdict === 'compliant').length * accounts.length;
    const needsWork = SPECS.filter((s) => s.verdict === 'needs-work').length * accounts.length;
    expect(summary).toMatchObject({
      buckets: buckets.size,
      compliant,
      needsWork,
      unknown: buckets.size - compliant - needsWork,
      unreadableAccounts: 0,
      exitCode: 1,
      toolVersion: '0.1.0',
      sample: null,
      ranBy: { account: mgmt.id },
    });
    expect(summary.ranBy?.arn).toMatch(new RegExp(`^arn:aws:sts::${mgmt.id}:assumed-role/${ROLE}/`));
    expect(summary.accounts.map((x) => x.account).sort()).toEqual(accounts.map((a) => a.id).sort());
    // Read-only: no request but GET, HEAD and the reads POSTed by protocol (STS, KMS, Organizations).
    const writes = proxy.requests.filter(
      (q) => q.method !== 'GET' && q.method !== 'HEAD' && !(q.method === 'POST' && q.url === '/'),
    );
    expect(writes).toEqual([]);
    expect(seconds).toBeLessThan(60);
  });

  it('exit 0 when every bucket audited is compliant (--accounts FILE, --buckets FILE)', async () => {
    const ids = join(dir, 'accounts.txt');
    await writeFile(ids, `# the three accounts\n${accounts.map((a) => a.id).join('\n')}\n`);
    const names = join(dir, 'compliant.txt');
    await writeFile(
      names,
      accounts
        .flatMap((a) => SPECS.filter((s) => s.verdict === 'compliant').map((s) => bucketName(a, s)))
        .join('\n'),
    );
    const r = await audit([
      '--json',
      'audit',
      '--kms-key',
      ALIAS,
      '--role-name',
      ROLE,
      '--accounts',
      ids,
      '--buckets',
      names,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { summary } = parse(r.stdout);
    const compliant = SPECS.filter((s) => s.verdict === 'compliant').length * accounts.length;
    expect(summary).toMatchObject({ compliant, buckets: compliant, exitCode: 0 });
  });

  it('--sample HEADs buckets without a delivery and marks the counts as a sample', async () => {
    const names = join(dir, 'sampled.txt');
    await writeFile(
      names,
      accounts.map((a) => bucketName(a, SPECS.find((s) => s.name === 'no-inventory') as Spec)).join('\n'),
    );
    const r = await audit([
      '--json',
      'audit',
      '--kms-key',
      ALIAS,
      '--role-name',
      ROLE,
      '--accounts',
      'org',
      '--buckets',
      names,
      '--sample',
      '5',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const { buckets, summary } = parse(r.stdout);
    expect(buckets.size).toBe(3);
    for (const b of buckets.values()) {
      expect(b.objects).toMatchObject({ source: 'sample', sample: true, objects: 2, partial: false });
      expect(b.objects?.byClass).toEqual({ compliant: { objects: 2, bytes: 2 } });
      expect(b.verdict).toBe('unknown');
    }
    expect(summary.sample).toBe(5);
  });

  it('the table, CSV and Markdown name every bucket and the denied permission', async () => {
    const table = await audit([
      'audit',
      '--kms-key',
      ALIAS,
      '--role-name',
      ROLE,
      '--accounts',
      'org',
      '--bucket-prefix',
      PREFIX,
    ]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/s3:GetEncryptionConfiguration/);
    expect(table.stdout).toMatch(
      new RegExp(
        `${accounts.length * SPECS.length + 1} bucket\\(s\\): ${SPECS.filter((s) => s.verdict === 'compliant').length * accounts.length} compliant`,
      ),
    );
    const csv = await audit([
      'audit',
      '--kms-key',
      ALIAS,
      '--role-name',
      ROLE,
      '--accounts',
      'org',
      '--bucket-prefix',
      PREFIX,
      '--format',
      'csv',
    ]);
    expect(csv.code).toBe(1);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^"account","bucket","region"/);
    expect(rows.length).toBe(1 + accounts.length * SPECS.length + 1);
    const md = await audit([
      'audit',
      '--kms-key',
      ALIAS,
      '--role-name',
      ROLE,
      '--accounts',
      'org',
      '--bucket-prefix',
      PREFIX,
      '--format',
      'md',
    ]);
    expect(md.stdout.split('\n').filter((l) => l.startsWith(`| ${mgmt.id} |`)).length).toBe(SPECS.length + 1);
  });

  it('several --profile: each profile its own account, named on the rows and in the next commands', async () => {
    const file = join(dir, 'credentials');
    const section = (name: string, c: Creds) =>
      `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\naws_session_token = ${c.sessionToken ?? ''}\n`;
    const member = accounts[1] as Account;
    await writeFile(file, section('mgmt', mgmt.creds) + section('member', member.creds));
    const r = await runBin(
      [
        '--endpoint-url',
        proxy.endpoint,
        '--profile',
        'mgmt',
        '--profile',
        'member',
        '--json',
        'audit',
        '--kms-key',
        ALIAS,
        '--bucket-prefix',
        PREFIX,
      ],
      t,
      {
        endpoint: false,
        env: {
          AWS_SHARED_CREDENTIALS_FILE: file,
          AWS_CONFIG_FILE: join(dir, 'no-config'),
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
        },
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const { buckets, summary } = parse(r.stdout);
    expect(buckets.size).toBe(2 * SPECS.length + 1);
    const vias = new Set([...buckets.values()].map((b) => `${b.account} ${b.via}`));
    expect(vias).toEqual(new Set([`${mgmt.id} profile mgmt`, `${member.id} profile member`]));
    expect(buckets.get(`${PREFIX}${member.id.slice(-4)}-sse-s3`)?.next).toMatch(
      / --profile member --region us-east-1$/,
    );
    expect(summary.accounts.map((a) => a.via)).toEqual(['profile mgmt', 'profile member']);
  });

  it('bad input: one line, exit 2, before any request', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '# nothing\n\n');
    const bad = join(dir, 'bad.txt');
    await writeFile(bad, '123456789012\n12345\n');
    const badBuckets = join(dir, 'bad-buckets.txt');
    await writeFile(badBuckets, 'fine-bucket\ns3://not-a-name\n');
    const cases: [string[], RegExp][] = [
      [['--role-name', ROLE], /--role-name needs --accounts/],
      [['--accounts', 'org'], /--accounts needs --role-name/],
      [
        ['--role-name', ROLE, '--accounts', join(dir, 'missing.txt')],
        /cannot read --accounts .*missing\.txt: no such file/,
      ],
      [['--role-name', ROLE, '--accounts', empty], /names no AWS account id/],
      [['--role-name', ROLE, '--accounts', bad], /line 2: "12345" is not an AWS account id/],
      [['--buckets', badBuckets], /--buckets .* line 2: "s3:\/\/not-a-name" is not a bucket name/],
      [['--sample', '0'], /invalid --sample/],
    ];
    const before = proxy.requests.length;
    for (const [args, message] of cases) {
      const r = await audit(['audit', '--kms-key', ALIAS, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(proxy.requests.length).toBe(before);
  });
});
