// Hostile local paths and files given to the commands (issue 10, items 2-5): each is refused
// with one line, exit 2 (and the {"error":...} document with --json), within seconds (a
// recursive mkdir under /proc used to spin forever, deaf to signals), before the first request
// (a recording proxy stands between the CLI and moto), and with nothing changed: the bucket's
// snapshot and the user's files are the same afterwards.
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, type ProcResult } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { recordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { record, renderDelivery, writeDeliveryDir } from '../support/inventory-delivery.js';
import { target, targetEnv, uniqueBucket } from '../support/servers.js';
import { snapshotBucket } from '../support/snapshot.js';

const t = target();
const s3 = s3For(t);
const kms = kmsFor(t);
const bucket = uniqueBucket('bad-files');
let keyArn = '';
let proxy: RecordingProxy;
const dir = mkdtempSync(join(tmpdir(), 's3e-bad-files-'));
/** Fails fast instead of hanging the suite: every refusal here must come within seconds. */
const QUICK = 20_000;

beforeAll(async () => {
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const key of ['a.txt', 'b/c.txt', 'ÿþ€.txt'])
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
  proxy = await recordingProxy(t.endpoint);
});
afterAll(async () => {
  await proxy.close();
});

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** The CLI through the recording proxy: `requests` are the ones this run sent. */
async function viaProxy(args: string[], json: boolean): Promise<ProcResult & { requests: string[] }> {
  const before = proxy.requests.length;
  const r = await runBin(['--endpoint-url', proxy.endpoint, ...(json ? ['--json'] : []), ...args], t, {
    endpoint: false,
    timeoutMs: QUICK,
  });
  return { ...r, requests: proxy.requests.slice(before).map((q) => `${q.method} ${q.url}`) };
}

/** Exit 2, one line naming `names`, the JSON error document with --json, and no request sent. */
function expectRefused(r: ProcResult & { requests: string[] }, json: boolean, names: RegExp): void {
  expect(r.code, `${r.stderr}${r.stdout}`).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('error: '))).toHaveLength(1);
  expect(r.stderr).toMatch(names);
  expect(r.stderr).not.toMatch(/unexpected|please report/);
  if (json) {
    const docs = r.lines() as { error?: { code: string; message: string; exitCode: number } }[];
    expect(docs).toHaveLength(1);
    expect(docs[0]?.error?.exitCode).toBe(2);
    expect(docs[0]?.error?.message).toMatch(names);
  } else {
    expect(lines).toHaveLength(1);
  }
  expect(r.requests).toEqual([]);
}

const encryptArgs = (...more: string[]) => ['encrypt', '--bucket', bucket, '--kms-key', keyArn, ...more];

describe.each([false, true])('encrypt --state that is not ours (json: %s)', (json) => {
  const cases: [string, () => string, RegExp][] = [
    [
      'random bytes and a line that is not JSON',
      () =>
        file(
          `random-${json}.jsonl`,
          Buffer.concat([
            Buffer.from([0x8f, 0x00, 0xff, 0x13, 0x37, 0xc3]),
            Buffer.from('\nnot json at all\n'),
          ]),
        ),
      /random-.*\.jsonl: this file is not an s3-encrypt state file/,
    ],
    [
      'JSON of someone else',
      () => file(`other-json-${json}.jsonl`, '{"hello":"world"}\n'),
      /not an s3-encrypt state file/,
    ],
    ['only blank lines', () => file(`blank-${json}.jsonl`, '\n\n  \n'), /not an s3-encrypt state file/],
    [
      'the state file of another bucket',
      () =>
        file(
          `other-bucket-${json}.jsonl`,
          `${JSON.stringify({ s3encrypt: 'state', v: 1, bucket: 'another-bucket', kmsKey: keyArn, inputs: 'live:' })}\n`,
        ),
      /belongs to bucket another-bucket/,
    ],
  ];
  it.each(cases)('%s: refused before any request, the file untouched', async (_name, make, message) => {
    const path = make();
    const hash = sha(path);
    const before = await snapshotBucket(s3, bucket);
    const r = await viaProxy(encryptArgs('--state', path), json);
    expectRefused(r, json, message);
    expect(r.stderr).toMatch(/choose another --state path/);
    expect(sha(path)).toBe(hash);
    expect(await snapshotBucket(s3, bucket)).toEqual(before);
  });

  it('the state file of another key: refused after reading the key, before any object request', async () => {
    // Which key an alias or id names is only known from KMS; nothing of the bucket is read or written.
    const path = file(
      `other-key-${json}.jsonl`,
      `${JSON.stringify({ s3encrypt: 'state', v: 1, bucket, kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/other', inputs: 'live:' })}\n`,
    );
    const hash = sha(path);
    const before = await snapshotBucket(s3, bucket);
    const r = await viaProxy(encryptArgs('--state', path), json);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/was written for key arn:aws:kms:us-east-1:123456789012:key\/other/);
    if (json)
      expect(r.lines()).toEqual([
        expect.objectContaining({ error: expect.objectContaining({ exitCode: 2 }) }),
      ]);
    // Only the bucket's region, its versioning (a run there could lose versions) and the key: no
    // listing, no object HEAD/GET, no write.
    expect(
      r.requests.filter(
        (q) => !/^(HEAD|GET) \/[^/?]+\/?(\?location|\?versioning=?)?$/.test(q) && q !== 'POST /',
      ),
    ).toEqual([]);
    expect(sha(path)).toBe(hash);
    expect(await snapshotBucket(s3, bucket)).toEqual(before);
  });

  it('a path that is no file to write: refused at once, before any request', async () => {
    const directory = join(dir, `a-dir-${json}`);
    mkdirSync(directory, { recursive: true });
    const fifo = join(dir, `fifo-${json}`);
    execFileSync('mkfifo', [fifo]);
    const toDevice = join(dir, `to-dev-zero-${json}`);
    symlinkSync('/dev/zero', toDevice);
    const dangling = join(dir, `dangling-${json}`);
    symlinkSync(join(dir, 'no-such-target'), dangling);
    const parentIsFile = join(file(`plain-file-${json}`, 'mine\n'), 'state.jsonl');
    const paths: [string, RegExp][] = [
      ['/proc/x/state.jsonl', /--state \/proc\/x\/state\.jsonl: \/proc is a system file system/],
      ['/sys/x/state.jsonl', /\/sys is a system file system/],
      ['/dev/zero', /\/dev is a system file system/],
      [directory, /it is a directory, not a regular file/],
      [fifo, /it is a FIFO \(named pipe\), not a regular file/],
      [toDevice, /symbolic link into \/dev/],
      [dangling, /symbolic link to a file that does not exist/],
      [parentIsFile, /plain-file-.* is a file, not a directory/],
    ];
    const before = await snapshotBucket(s3, bucket);
    for (const [path, message] of paths) {
      const started = Date.now();
      const r = await viaProxy(encryptArgs('--state', path), json);
      expectRefused(r, json, message);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    expect(existsSync('/proc/x')).toBe(false);
    expect(await snapshotBucket(s3, bucket)).toEqual(before);
  });
});

describe.each([false, true])('encrypt --report and status --retry-manifest paths (json: %s)', (json) => {
  it('--report under /proc, on a directory or under a file: refused before any request', async () => {
    const parentIsFile = file(`report-parent-${json}`, 'mine\n');
    for (const [path, message] of [
      ['/proc/x/report.jsonl', /--report \/proc\/x\/report\.jsonl: \/proc is a system file system/],
      [dir, /it is a directory, not a regular file/],
      [join(parentIsFile, 'r.jsonl'), /is a file, not a directory/],
    ] as [string, RegExp][]) {
      const r = await viaProxy(encryptArgs('--report', path), json);
      expectRefused(r, json, message);
    }
    expect(readFileSync(parentIsFile, 'utf8')).toBe('mine\n');
  });

  it('--report naming the --state or --manifest file (also through a link): refused, the file untouched', async () => {
    const manifest = file(`m-${json}.csv`, `${bucket},a.txt\n`);
    const state = file(`s-${json}.jsonl`, '');
    const link = join(dir, `m-link-${json}.csv`);
    symlinkSync(manifest, link);
    for (const [args, message] of [
      [
        encryptArgs('--manifest', manifest, '--no-state', '--report', link),
        /--report .*m-link-.*\.csv is the --manifest file/,
      ],
      [encryptArgs('--state', state, '--report', state), /--report .*s-.*\.jsonl is the --state file/],
    ] as [string[], RegExp][]) {
      const r = await viaProxy(args, json);
      expectRefused(r, json, message);
    }
    expect(readFileSync(manifest, 'utf8')).toBe(`${bucket},a.txt\n`);
    expect(readFileSync(state, 'utf8')).toBe('');
  });

  it('status --retry-manifest under /proc: refused before any request', async () => {
    const r = await viaProxy(
      ['status', '--job-id', '00000000-0000-0000-0000-000000000000', '--retry-manifest', '/proc/x/retry.csv'],
      json,
    );
    expectRefused(r, json, /--retry-manifest \/proc\/x\/retry\.csv: \/proc is a system file system/);
  });
});

describe.each([false, true])('encrypt --manifest that is not UTF-8 (json: %s)', (json) => {
  it('names the file, line and byte offset; sends nothing; changes nothing', async () => {
    // Line 2 holds the bytes \xff\xfe\x80 (a lenient decoder makes them U+FFFD, another key).
    const path = file(
      `not-utf8-${json}.csv`,
      Buffer.concat([
        Buffer.from(`${bucket},a.txt\n${bucket},`),
        Buffer.from([0xff, 0xfe, 0x80]),
        Buffer.from('.txt\n'),
      ]),
    );
    const before = await snapshotBucket(s3, bucket);
    const offset = `${bucket},a.txt\n${bucket},`.length;
    const r = await viaProxy(encryptArgs('--manifest', path, '--no-state'), json);
    expectRefused(
      r,
      json,
      new RegExp(
        `not-utf8-${json}\\.csv line 2 \\(byte ${bucket.length + 2} of the line, offset ${offset} in the file\\) is not valid UTF-8: it has byte 0xff`,
      ),
    );
    expect(await snapshotBucket(s3, bucket)).toEqual(before);
  });

  it('a summary.json that is not UTF-8 is refused the same way', async () => {
    const path = file(
      `summary-${json}.json`,
      Buffer.concat([
        Buffer.from('{"version":1,"sourceBucket":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}\n'),
      ]),
    );
    const r = await viaProxy(encryptArgs('--manifest', path, '--no-state'), json);
    expectRefused(
      r,
      json,
      /summary-.*\.json line 1 \(byte 30 of the line, offset 29 in the file\) is not valid UTF-8/,
    );
  });
});

describe.each([false, true])('build-manifest --out (json: %s)', (json) => {
  let deliveryDir = '';
  beforeAll(async () => {
    const d = renderDelivery([record(bucket, 'a.txt'), record(bucket, 'b/c.txt')], {
      sourceBucket: bucket,
      destinationBucket: 'inventory-dest',
      prefix: 'inv',
      id: 'cfg',
    });
    deliveryDir = await writeDeliveryDir(join(dir, `delivery-${json}`), d);
  });
  const offline = (out: string) => [
    ...(json ? ['--json'] : []),
    'build-manifest',
    '--bucket',
    bucket,
    '--kms-key',
    'alias/any',
    '--from-dir',
    deliveryDir,
    '--out',
    out,
  ];

  it('an existing file as --out (offline): exit 2, one line, the error document; the file untouched', async () => {
    const out = file(`out-is-a-file-${json}`, 'my notes\n');
    const r = await runBin(offline(out), t, { endpoint: false, timeoutMs: QUICK });
    expectRefused({ ...r, requests: [] }, json, /--out .*out-is-a-file-.*: .* is a file, not a directory/);
    expect(readFileSync(out, 'utf8')).toBe('my notes\n');
  });

  it('/proc/x, /sys/x, /dev/x and a path under a file as --out: refused within seconds', async () => {
    const parent = file(`out-parent-${json}`, 'x');
    for (const [out, message] of [
      ['/proc/x', /--out \/proc\/x: \/proc is a system file system/],
      ['/sys/x/y', /\/sys is a system file system/],
      ['/dev/x', /\/dev is a system file system/],
      [join(parent, 'sub'), /out-parent-.* is a file, not a directory/],
    ] as [string, RegExp][]) {
      const started = Date.now();
      const r = await runBin(offline(out), t, { endpoint: false, timeoutMs: QUICK });
      expectRefused({ ...r, requests: [] }, json, message);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    expect(existsSync('/dev/x')).toBe(false);
  });

  it('an existing file as --out with an S3 inventory: refused before any request', async () => {
    const out = file(`s3-out-is-a-file-${json}`, 'keep me\n');
    const r = await viaProxy(
      [
        'build-manifest',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--inventory',
        's3://inventory-dest/inv',
        '--id',
        'cfg',
        '--out',
        out,
      ],
      json,
    );
    expectRefused(r, json, /--out .*s3-out-is-a-file-.*: .* is a file, not a directory/);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
  });
});

describe('files the user cannot read or write (run as an unprivileged user)', () => {
  const BIN = fileURLToPath(new URL('../../../bin/s3-encrypt.js', import.meta.url));
  /** As root, permissions do not apply: the CLI then runs as nobody (runuser), else as we are. */
  // Asynchronous: the recording proxy answers from this process.
  function unprivileged(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const argv = [BIN, '--endpoint-url', proxy.endpoint, ...args];
    const env = { PATH: process.env.PATH ?? '', HOME: '/tmp', NO_COLOR: '1', ...targetEnv(t) };
    const child =
      process.getuid?.() === 0
        ? spawn('runuser', ['-u', 'nobody', '--', process.execPath, ...argv], { env })
        : spawn(process.execPath, argv, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), QUICK);
    return new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    );
  }

  it.each([false, true])(
    'an unreadable --state, an unwritable --report or --out: refused before any request (json: %s)',
    async (json) => {
      const base = mkdtempSync(join(tmpdir(), 's3e-perm-'));
      chmodSync(base, 0o755);
      const state = join(base, 'state.jsonl');
      writeFileSync(
        state,
        `${JSON.stringify({ s3encrypt: 'state', v: 1, bucket, kmsKey: keyArn, inputs: 'live:' })}\n`,
      );
      chmodSync(state, 0o000);
      const locked = join(base, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o555);
      const flags = json ? ['--json'] : [];
      const cases: [string[], RegExp][] = [
        [
          [...flags, ...encryptArgs('--state', state)],
          /--state .*state\.jsonl: cannot use it: permission denied \(EACCES\)/,
        ],
        [
          [...flags, ...encryptArgs('--report', join(locked, 'sub', 'r.jsonl'))],
          /--report .*: cannot use it: permission denied \(EACCES\)/,
        ],
        [
          [
            ...flags,
            'build-manifest',
            '--bucket',
            bucket,
            '--kms-key',
            keyArn,
            '--inventory',
            's3://inventory-dest/inv',
            '--id',
            'c',
            '--out',
            locked,
          ],
          /--out .*locked: cannot use it: permission denied \(EACCES\)/,
        ],
      ];
      for (const [args, message] of cases) {
        const before = proxy.requests.length;
        const r = await unprivileged(args);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(message);
        if (json) expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: 2 } });
        expect(proxy.requests.length).toBe(before);
      }
      chmodSync(locked, 0o755);
      expect(existsSync(join(locked, 'sub'))).toBe(false);
    },
  );
});
