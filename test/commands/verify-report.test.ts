// verify --report FILE.html in-process: the page is written whatever the verdict, its hash is the
// SHA-256 of the JSON lines --json prints, and a path it cannot use stops the run before any request.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GlobalConfig } from '../../src/config/global.js';
import { ServiceError } from '../../src/core/errors.js';
import type { Services } from '../../src/deps.js';
import { record, renderDelivery, writeDeliveryDir } from '../int/support/inventory-delivery.js';
import { ACCOUNT, fakeServices, fakeWorld, head, keyDesc, type FakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

let world: FakeWorld;
let dir: string;
const key = keyDesc();
const other = keyDesc({ keyId: 'other-1' });
const NASTY = 'dir/<b>&"quoted"</b> ünï';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's3e-vr-'));
  world = fakeWorld();
  world.keys.set('alias/app', key);
  world.buckets.set('data-1', {
    region: 'us-east-1',
    objects: [
      head('plain', { size: 100 }),
      head(NASTY, { size: 50, serverSideEncryption: 'AES256' }),
      head('dir/other', {
        size: 25,
        serverSideEncryption: 'aws:kms',
        kmsKeyId: other.arn,
        bucketKeyEnabled: true,
      }),
      head('ok/1', { size: 800, serverSideEncryption: 'aws:kms', kmsKeyId: key.arn, bucketKeyEnabled: true }),
      head('ok/2', { size: 25, serverSideEncryption: 'aws:kms', kmsKeyId: key.arn, bucketKeyEnabled: true }),
    ],
  });
});

const sha256 = (s: string): string => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
const shaIn = (html: string): string => /id="records-sha256">([0-9a-f]{64})</.exec(html)?.[1] ?? '';
const live = (...extra: string[]) => [
  'verify',
  '--bucket',
  'data-1',
  '--kms-key',
  'alias/app',
  '--live',
  ...extra,
];

/** fakeServices that counts how often the run asked for services (0: nothing was requested). */
function counted(): { factory: (c: GlobalConfig) => Services; calls: () => number } {
  let n = 0;
  const f = fakeServices(world);
  return {
    factory: (c) => {
      n++;
      return f(c);
    },
    calls: () => n,
  };
}

describe('verify --report', () => {
  it('--json: stdout stays JSON; the page hashes exactly those bytes and shows the counts and bytes', async () => {
    const path = join(dir, 'r.html');
    const r = await runCli(['--json', ...live('--report', path)], fakeServices(world));
    expect(r.code).toBe(1);
    expect(() => r.json()).not.toThrow();
    expect(r.stderr).toContain(`Evidence report: ${path}`);
    const html = readFileSync(path, 'utf8');
    expect(shaIn(html)).toBe(sha256(r.stdout));
    expect(html).toContain(`the 4 JSON lines (${Buffer.byteLength(r.stdout)} bytes`);
    expect(html).toContain('This run was given --json and printed them');
    expect(html).toContain('<div class="name">NOT COMPLIANT</div>');
    expect(html).toContain('NOT COMPLIANT: 3 of 5 objects need work');
    expect(html).toContain('<span class="exit">exit code 1</span>');
    // bytes by class, from the summary record: 825 of 1000 bytes compliant
    expect(html).toContain('compliant: 82.5% (825 B)');
    expect(html).toContain(
      '<tr><th scope="row">Bytes examined</th><td class="num">1000 B (1,000 bytes)</td></tr>',
    );
    expect(html).toContain('<code>dir/&lt;b&gt;&amp;&quot;quoted&quot;&lt;/b&gt; ünï</code>');
    expect(html).toContain(`<dd class="mono">arn:aws:iam::${ACCOUNT}:user/tester</dd>`);
    expect(html).toContain(`<dd class="mono">${key.arn} (described by KMS)</dd>`);
    // the summary record carries the bytes the page shows
    const summary = (r.json().at(-1) as { summary: { bytesByClass: Record<string, number> } }).summary;
    expect(summary.bytesByClass).toMatchObject({
      compliant: 825,
      'NOT-SSE': 100,
      'SSE-S3': 50,
      'SSE-KMS-other-key': 25,
    });
  });

  it('without --json: the same hash as the --json run prints, and one line naming the file', async () => {
    const path = join(dir, 'r.html');
    const json = await runCli(['--json', ...live()], fakeServices(world));
    const r = await runCli(live('--report', path), fakeServices(world));
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`Evidence report: ${path}`);
    const html = readFileSync(path, 'utf8');
    expect(shaIn(html)).toBe(sha256(json.stdout));
    expect(html).toContain('This run was not given --json');
  });

  it('a compliant run gets its report too, saying exit code 0', async () => {
    const path = join(dir, 'ok.html');
    const r = await runCli(live('--prefix', 'ok/', '--report', path), fakeServices(world));
    expect(r.code).toBe(0);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<div class="verdict pass" id="verdict">');
    expect(html).toContain('<span class="exit">exit code 0</span>');
    expect(html).toContain('COMPLIANT: all 2 objects seen are SSE-KMS under the target key');
    expect(html).toContain('<h2>Offenders</h2><p>None');
  });

  it('an interrupted run: the report says INTERRUPTED and exit code 130', async () => {
    const ac = new AbortController();
    ac.abort();
    const path = join(dir, 'int.html');
    const r = await runCli(live('--report', path), fakeServices(world), { signal: ac.signal });
    expect(r.code).toBe(130);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<div class="verdict stopped" id="verdict">');
    expect(html).toContain('<span class="exit">exit code 130</span>');
  });

  it('lists the first --show-offenders offenders and says how many more', async () => {
    const path = join(dir, 'r.html');
    await runCli(live('--show-offenders', '1', '--report', path), fakeServices(world));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('First offenders (1 of 3)');
    expect(html).toContain('… and 2 more: the JSON records name every one.');
  });

  it('a path it cannot use stops the run before any request, writing nothing (exit 2)', async () => {
    const foreign = join(dir, 'notes.html');
    writeFileSync(foreign, 'my notes');
    for (const [path, problem] of [
      [foreign, 'the file exists and is not an s3-encrypt evidence report, so it is not replaced'],
      [dir, 'it is a directory, not a regular file'],
      ['/dev/stdout', '/dev is a system file system'],
    ] as const) {
      const svc = counted();
      const r = await runCli(['--json', ...live('--report', path)], svc.factory);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`error: --report ${path}: ${problem}`);
      expect(svc.calls()).toBe(0);
      expect(r.stdout).toMatch(/^\{"error":\{/);
    }
    expect(readFileSync(foreign, 'utf8')).toBe('my notes');
    const empty = await runCli(live('--report', ''), fakeServices(world));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('give a file path, e.g. --report verify.html');
    // the same with --inventory
    const svc = counted();
    const inv = ['--inventory', 's3://inv/x', '--id', 'cfg', '--report', foreign];
    const r = await runCli(['verify', '--bucket', 'data-1', '--kms-key', 'alias/app', ...inv], svc.factory);
    expect(r.code, r.stderr).toBe(2);
    expect(svc.calls()).toBe(0);
  });

  it('a caller STS cannot name is "unknown" in the report and a warning, not a failed run', async () => {
    const path = join(dir, 'r.html');
    const base = fakeServices(world);
    const r = await runCli(live('--report', path), (c) => ({
      ...base(c),
      caller: {
        identity: () =>
          Promise.reject(new ServiceError('NotImplemented', 'STS GetCallerIdentity: NotImplemented')),
      },
    }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning: the evidence report cannot name the caller');
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<dt>Identity</dt><dd>unknown: STS GetCallerIdentity failed');
    expect(html).toContain('the evidence report cannot name the caller'); // the warning is in the page too
  });

  it('--from-dir (offline): the report says no identity was asked, and carries the inventory note', async () => {
    const folder = new Date(Date.now() - 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';
    await writeDeliveryDir(
      dir,
      renderDelivery(
        [
          record('data-1', 'a', { EncryptionStatus: 'SSE-KMS', BucketKeyStatus: 'ENABLED' }),
          record('data-1', 'b<c'),
          record('data-1', 'a', { IsLatest: 'false', VersionId: 'old-1' }),
        ],
        { sourceBucket: 'data-1', destinationBucket: 'inv', prefix: '', id: 'cfg', folder, files: 1 },
      ),
    );
    const path = join(dir, 'out', 'inv.html');
    const r = await runCli(
      [
        '--json',
        'verify',
        '--bucket',
        'data-1',
        '--kms-key',
        key.arn,
        '--from-dir',
        dir,
        '--all-versions',
        '--report',
        path,
      ],
      fakeServices(fakeWorld()),
    );
    expect(r.code).toBe(1);
    const html = readFileSync(path, 'utf8');
    expect(shaIn(html)).toBe(sha256(r.stdout));
    expect(html).toContain('<dt>Identity</dt><dd>offline run (--from-dir)');
    expect(html).toContain('(as given; not checked with KMS)');
    expect(html).toContain('the inventory cannot tell the key');
    expect(html).toContain('<code>b&lt;c</code>');
    expect(html).toMatch(/<dt>Source<\/dt><dd>inventory delivery /);
    expect(html).toContain('<td><code>old-1</code> (noncurrent)</td>');
    expect(html).toMatch(/<dt>Run began \(UTC\)<\/dt><dd class="mono">\d{4}-\d\d-\d\dT/);
  });

  it('lists at most 1,000 offenders whatever --show-offenders says (memory stays flat)', async () => {
    world.buckets.set('many', {
      region: 'us-east-1',
      objects: Array.from({ length: 1005 }, (_, i) => head(`k${i}`)),
    });
    const path = join(dir, 'many.html');
    const r = await runCli(
      [
        '--json',
        'verify',
        '--bucket',
        'many',
        '--kms-key',
        'alias/app',
        '--live',
        '--show-offenders',
        '5000',
        '--report',
        path,
      ],
      fakeServices(world),
    );
    expect(r.code).toBe(1);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('First offenders (1,000 of 1,005)');
    expect(html.match(/<td class="key">/g)).toHaveLength(1000);
    expect(shaIn(html)).toBe(sha256(r.stdout));
  });

  it('without --report nothing is written', async () => {
    const r = await runCli(live(), fakeServices(world));
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('Evidence report');
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });
});
