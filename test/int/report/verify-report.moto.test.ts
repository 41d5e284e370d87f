// verify --live --report against moto, as an auditor would check it: the page's counts are the
// run's, its SHA-256 is what `sha256sum` says of the saved --json output, it names the caller
// STS names, and headless Chromium renders it (screenshot in .local/evidence-report/).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { dumpDom, screenshot, cspViolations } from '../../support/chromium.js';
import { runBin } from '../support/cli.js';
import { kmsFor, s3For } from '../support/clients.js';
import { putDelivery, recordsFromBucket, renderDelivery } from '../support/inventory-delivery.js';
import { target, targetEnv, uniqueBucket } from '../support/servers.js';

const t = target();
const s3 = s3For(t);
const bucket = uniqueBucket('report');
const BIN = fileURLToPath(new URL('../../../bin/s3-encrypt.js', import.meta.url));
const NASTY = `odd/<i>a&b</i> "q" 'q' ünï`;
let keyArn = '';
const dir = mkdtempSync(join(tmpdir(), 's3e-report-int-'));
const SHOTS = join(process.cwd(), '.local', 'evidence-report');

const put = (Key: string, Body: string, extra: Partial<PutObjectCommandInput> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));

beforeAll(async () => {
  keyArn = (await kmsFor(t).send(new CreateKeyCommand({}))).KeyMetadata?.Arn ?? '';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await put('plain/one', 'x'.repeat(1000));
  await put(NASTY, 'y'.repeat(200));
  await put('sse-s3/a', 'z'.repeat(300), { ServerSideEncryption: 'AES256' });
  for (const k of ['ok/1', 'ok/2'])
    await put(k, 'k'.repeat(2000), {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
      BucketKeyEnabled: true,
    });
});

/** The auditor's way: the run's stdout saved to a file by the shell, then sha256sum. */
function runToFile(args: string[], records: string): number {
  const quoted = [process.execPath, BIN, '--endpoint-url', t.endpoint, ...args].map(
    (a) => `'${a.replaceAll("'", `'\\''`)}'`,
  );
  const r = spawnSync('bash', ['-c', `${quoted.join(' ')} > '${records}'`], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...targetEnv(t) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return r.status ?? -1;
}

describe('verify --live --report on moto', () => {
  it('writes the page with the run counts, the caller, and the hash sha256sum gives of the --json output', async () => {
    const html = join(dir, 'evidence.html');
    const records = join(dir, 'records.jsonl');
    const code = runToFile(
      ['--json', 'verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--report', html],
      records,
    );
    expect(code).toBe(1);
    const page = readFileSync(html, 'utf8');
    const sha = execFileSync('sha256sum', [records], { encoding: 'utf8' }).split(' ')[0];
    expect(/id="records-sha256">([0-9a-f]{64})</.exec(page)?.[1]).toBe(sha);
    const lines = readFileSync(records, 'utf8').trimEnd().split('\n');
    expect(page).toContain(`the ${lines.length} JSON lines (${statSync(records).size} bytes`);
    // the counts are the run's
    expect(page).toContain('<tr><th scope="row">Objects examined</th><td class="num">5</td></tr>');
    expect(page).toContain('<tr><th scope="row">Need work</th><td class="num">3</td></tr>');
    expect(page).toContain('<tr><th scope="row">Compliant</th><td class="num">2</td></tr>');
    expect(page).toContain(
      '<tr><th scope="row">Bytes examined</th><td class="num">5.4 KiB (5,500 bytes)</td></tr>',
    );
    expect(page).toContain('compliant: 72.7% (3.9 KiB)');
    expect(page).toContain('NOT COMPLIANT: 3 of 5 objects need work');
    expect(page).toContain('<span class="exit">exit code 1</span>');
    expect(page).toContain(`<code>odd/&lt;i&gt;a&amp;b&lt;/i&gt; &quot;q&quot; &#39;q&#39; ünï</code>`);
    // the caller, as STS names it to the same credentials
    const me = await new STSClient({
      region: t.region,
      endpoint: t.endpoint,
      credentials: { accessKeyId: t.accessKeyId, secretAccessKey: t.secretAccessKey },
    }).send(new GetCallerIdentityCommand({}));
    expect(page).toContain(`<dt>Account</dt><dd class="mono">${me.Account}</dd>`);
    expect(page).toContain(`<dt>Principal</dt><dd class="mono">${me.Arn}</dd>`);
    expect(page).toContain(`<dd class="mono">${keyArn} (described by KMS)</dd>`);

    // and a browser renders it
    const dom = await dumpDom(html);
    expect(dom.stdout).toContain('id="chart-bytes-by-class"');
    expect(dom.stdout).toContain('id="chart-by-verdict"');
    expect(dom.stdout).toContain('<code>odd/&lt;i&gt;a&amp;b&lt;/i&gt; "q" \'q\' ünï</code>');
    expect(cspViolations(dom.stderr)).toEqual([]);
    mkdirSync(SHOTS, { recursive: true });
    const png = join(SHOTS, 'verify-moto.png');
    await screenshot(html, png, 1200, 1900);
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });

  it('a compliant run writes its report too (exit 0), and prints one line naming the file', async () => {
    const html = join(dir, 'ok.html');
    const r = await runBin(
      ['verify', '--bucket', bucket, '--kms-key', keyArn, '--live', '--prefix', 'ok/', '--report', html],
      t,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`Evidence report: ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<div class="name">COMPLIANT</div>');
    expect(page).toContain('<span class="exit">exit code 0</span>');
  });

  it('--inventory --report: the counts, bytes and hash of the delivery, with the caveat of inventories', async () => {
    const dest = uniqueBucket('report-inv');
    await s3.send(new CreateBucketCommand({ Bucket: dest }));
    const folder = new Date(Date.now() - 3600_000).toISOString().slice(0, 16).replace(':', '-') + 'Z';
    await putDelivery(
      s3,
      dest,
      renderDelivery(await recordsFromBucket(s3, bucket), {
        sourceBucket: bucket,
        destinationBucket: dest,
        prefix: 'inv',
        id: 'cfg',
        folder,
        files: 2,
      }),
    );
    const html = join(dir, 'inventory.html');
    const records = join(dir, 'inventory.jsonl');
    const code = runToFile(
      [
        '--json',
        'verify',
        '--bucket',
        bucket,
        '--kms-key',
        keyArn,
        '--inventory',
        `s3://${dest}/inv`,
        '--id',
        'cfg',
        '--report',
        html,
      ],
      records,
    );
    expect(code).toBe(1);
    const page = readFileSync(html, 'utf8');
    const sha = execFileSync('sha256sum', [records], { encoding: 'utf8' }).split(' ')[0];
    expect(/id="records-sha256">([0-9a-f]{64})</.exec(page)?.[1]).toBe(sha);
    expect(page).toContain('<tr><th scope="row">Objects examined</th><td class="num">5</td></tr>');
    expect(page).toContain(
      '<tr><th scope="row">Bytes examined</th><td class="num">5.4 KiB (5,500 bytes)</td></tr>',
    );
    expect(page).toContain('the inventory cannot tell the key');
    expect(page).toMatch(new RegExp(`<dt>Source</dt><dd>inventory delivery [^<]*${dest}`));
    expect(page).toContain('<dt>Principal</dt><dd class="mono">arn:aws:');
  });
});
