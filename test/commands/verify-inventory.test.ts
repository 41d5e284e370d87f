// verify --inventory over a delivery on disk (--from-dir): the same predicate as build-manifest,
// in live verify's vocabulary and output shape.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_FIELDS,
  record,
  renderDelivery,
  writeDeliveryDir,
  type DeliveryOptions,
  type InventoryRecord,
} from '../int/support/inventory-delivery.js';
import { fakeServices, fakeWorld, keyDesc } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const B = 'data-1';
const KEY = keyDesc().arn;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3e-vi-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const recent = (): string =>
  new Date(Date.now() - 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';

async function deliver(records: InventoryRecord[], o: Partial<DeliveryOptions> = {}): Promise<void> {
  const d = renderDelivery(records, {
    sourceBucket: B,
    destinationBucket: 'inv',
    prefix: '',
    id: 'cfg',
    folder: recent(),
    files: 2,
    ...o,
  });
  await writeDeliveryDir(dir, d);
}

const verify = (...extra: string[]) =>
  runCli(['verify', '--bucket', B, '--kms-key', KEY, '--from-dir', dir, ...extra], fakeServices(fakeWorld()));

const kmsBk = { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' };

describe('verify --inventory (from a local delivery)', () => {
  it('a row whose encryption status it cannot read is unverified, never compliant: exit 1', async () => {
    await deliver([record(B, 'ok/1', kmsBk), record(B, 'odd', { EncryptionStatus: 'SSE-FUTURE' })]);
    const r = await runCli(
      ['--json', 'verify', '--bucket', B, '--kms-key', KEY, '--from-dir', dir],
      fakeServices(fakeWorld()),
    );
    expect(r.code).toBe(1);
    const lines = r.json() as Record<string, unknown>[];
    expect(lines[0]).toMatchObject({
      key: 'odd',
      class: 'unverified',
      reason: expect.stringMatching(/SSE-FUTURE/),
    });
    expect(lines.at(-1)).toMatchObject({ summary: { checked: 2, compliant: 1, unverified: 1, needWork: 0 } });
  });

  it('a delivery that lists no object of the bucket is not a pass, unless --allow-empty', async () => {
    await deliver([record(B, 'ok/1', kmsBk)]);
    const none = await verify('--prefix', 'nothing/');
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/NOTHING EXAMINED/);
    expect((await verify('--prefix', 'nothing/', '--allow-empty')).code).toBe(0);
  });

  it('counts per class, lists offenders by their real keys, exits 1', async () => {
    await deliver([
      record(B, 'ok/1', kmsBk),
      record(B, 'ok/2', kmsBk),
      record(B, 'plain with space+plus', { VersionId: 'v9' }),
      record(B, 'sse-s3', { EncryptionStatus: 'SSE-S3' }),
      record(B, 'kms-no-bk', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'DISABLED' }),
      record(B, 'ssec', { EncryptionStatus: 'SSE-C' }),
      record(B, 'dsse', { EncryptionStatus: 'DSSE-KMS' }),
      record(B, 'old', { IsLatest: 'false', VersionId: 'o1' }),
      record(B, 'dm', { IsDeleteMarker: 'true', VersionId: 'd1' }),
    ]);
    const r = await runCli(
      ['--json', 'verify', '--bucket', B, '--kms-key', KEY, '--from-dir', dir],
      fakeServices(fakeWorld()),
    );
    expect(r.code, r.stderr).toBe(1);
    const lines = r.json() as Record<string, unknown>[];
    const offenders = lines.slice(0, -1);
    expect(offenders.map((o) => o.key).sort()).toEqual([
      'dsse',
      'kms-no-bk',
      'plain with space+plus',
      'sse-s3',
      'ssec',
    ]);
    expect(offenders.find((o) => o.key === 'plain with space+plus')).toEqual({
      key: 'plain with space+plus',
      versionId: 'v9',
      class: 'NOT-SSE',
      isLatest: true,
    });
    expect(lines.at(-1)).toMatchObject({
      summary: {
        checked: 7,
        compliant: 2,
        needWork: 5,
        vanished: 0,
        unverified: 0,
        byClass: {
          compliant: 2,
          'NOT-SSE': 1,
          'SSE-S3': 1,
          'SSE-KMS-other-key': 0,
          'SSE-KMS-no-bucket-key': 1,
          'SSE-C': 1,
          'DSSE-KMS': 1,
          vanished: 0,
          unverified: 0,
        },
        interrupted: false,
        source: 'inventory',
        noncurrent: { versions: 1, unencrypted: 1 },
        stale: false,
      },
    });
    expect(r.stderr).toContain('1 noncurrent versions are not encrypted');
  });

  it('exits 0 when every current object is SSE-KMS with a bucket key; noncurrent plaintext only warns', async () => {
    await deliver([
      record(B, 'a', kmsBk),
      record(B, 'b', kmsBk),
      record(B, 'a', { IsLatest: 'false', VersionId: 'x' }),
    ]);
    const r = await verify();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('COMPLIANT: all 2 objects in delivery');
    expect(r.stdout).toContain('the inventory cannot tell the key');
    expect(r.stderr).toContain('pass --all-versions to fail on them');
  });

  it('--all-versions fails on noncurrent unencrypted versions', async () => {
    await deliver([record(B, 'a', kmsBk), record(B, 'a', { IsLatest: 'false', VersionId: 'x' })]);
    const r = await runCli(
      ['--json', 'verify', '--bucket', B, '--kms-key', KEY, '--from-dir', dir, '--all-versions'],
      fakeServices(fakeWorld()),
    );
    expect(r.code).toBe(1);
    expect(r.json()[0]).toEqual({ key: 'a', versionId: 'x', class: 'NOT-SSE', isLatest: false });
  });

  // --all-versions asks about noncurrent versions: an inventory of current ones cannot answer, and
  // used to say COMPLIANT (exit 0) with a warning.
  it('--all-versions on an inventory of current versions only: exit 3, one line, nothing read', async () => {
    const fields = DEFAULT_FIELDS.filter(
      (f) => f !== 'IsLatest' && f !== 'VersionId' && f !== 'IsDeleteMarker',
    );
    await deliver([record(B, 'a', kmsBk)], { fields });
    const r = await verify('--all-versions');
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: delivery .* lists current versions only \(no IsLatest column\), so --all-versions cannot check noncurrent versions from it: use verify --live --all-versions/,
      ),
    ]);
    expect((await verify()).code).toBe(0);
  });

  it('--prefix limits the check to decoded keys under it', async () => {
    await deliver([record(B, 'good dir/a', kmsBk), record(B, 'bad/b')]);
    const r = await verify('--prefix', 'good dir/');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('COMPLIANT: all 1 objects');
  });

  it('a newest delivery past --max-age (48 h) proves nothing: OUT OF DATE, exit 1; a larger --max-age accepts it with a warning', async () => {
    await deliver([record(B, 'a', kmsBk)], { folder: '2026-01-01T00-00Z' });
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /OUT OF DATE: the newest delivery \(2026-01-01T00-00Z\) is \d+ h old, over --max-age 48 h: deliveries may have stopped/,
    );
    const accepted = await verify('--max-age', '87600');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toMatch(
      /delivery 2026-01-01T00-00Z is \d+ h old, and S3 does not record when a bucket's encryption last changed/,
    );
    // Work needed stands however old the delivery.
    await deliver([record(B, 'a')], { folder: '2026-01-01T00-00Z' });
    expect((await verify()).stdout).toContain('NOT COMPLIANT: 1 of 1 objects need work');
  });

  // S3 dates a delivery when it writes it: one dated after now has no age to judge (a wrong clock,
  // a manifest S3 did not write), and would otherwise pass every freshness check.
  it('a delivery dated in the future proves nothing: OUT OF DATE, exit 1, with --date too; an hour of skew is forgiven', async () => {
    const at = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(':', '-') + 'Z';
    const future = at(Date.now() + 3 * 3600_000);
    await deliver([record(B, 'a', kmsBk)], { folder: future });
    for (const r of [await verify(), await verify('--date', future), await verify('--max-age', '87600')]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `OUT OF DATE: delivery ${future} is dated [23] h in the future .*the clock is wrong or the manifest is damaged`,
        ),
      );
    }
    await rm(dir, { recursive: true, force: true });
    await deliver([record(B, 'a', kmsBk)], { folder: at(Date.now() + 30 * 60_000) });
    const skewed = await verify();
    expect(skewed.code, skewed.stdout).toBe(0);
  });

  it('--since after the delivery began warns that the delivery predates the change', async () => {
    await deliver([record(B, 'a')], { folder: '2026-05-01T00-00Z' });
    const r = await runCli(
      [
        '--json',
        'verify',
        '--bucket',
        B,
        '--kms-key',
        KEY,
        '--from-dir',
        dir,
        '--since',
        '2026-05-02T10:00Z',
      ],
      fakeServices(fakeWorld()),
    );
    expect(r.stderr).toMatch(/began scanning at 2026-05-01T00:00Z, before --since 2026-05-02T10:00Z/);
    expect((r.json().at(-1) as { summary: { stale: boolean } }).summary.stale).toBe(true);
  });

  it('bad inputs are one line with the documented exit code', async () => {
    await deliver([record(B, 'a')], { fields: ['Bucket', 'Key', 'Size'] });
    const r = await verify();
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/fileSchema has no EncryptionStatus column/);
    expect(r.code).toBe(3);
    const both = await verify('--live');
    expect(both.stderr).toMatch(/--live and --inventory\/--from-dir are two different sources/);
    expect(both.code).toBe(2);
    const noId = await runCli(
      ['verify', '--bucket', B, '--kms-key', KEY, '--inventory', 's3://inv/p'],
      fakeServices(fakeWorld()),
    );
    expect(noId.stderr).toMatch(/--inventory needs --id/);
    expect(noId.code).toBe(2);
  });

  it('an interrupted run prints its partial summary and exits 130', async () => {
    await deliver([record(B, 'a')]);
    const ac = new AbortController();
    ac.abort();
    const r = await runCli(
      ['verify', '--bucket', B, '--kms-key', KEY, '--from-dir', dir],
      fakeServices(fakeWorld()),
      { signal: ac.signal },
    );
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('INTERRUPTED after 0 objects');
  });
});
