// build-manifest --engine select against Ceph RGW 16.2's own s3select, end to end with the built
// CLI. What RGW 16.2 does with AWS's documented query (SELECT s._1, ... FROM S3Object s):
// - on an uncompressed data file it answers HTTP 200 and one Records event whose payload is its
//   SQL parser's failure wrapped in XML ("<Payload> <Records> <Payload> failure -->SELECT s._1
//   ... <---"), and no End event: its grammar knows only `select ... from stdin;` in lower case
//   (no S3Object, no alias), which is not AWS's SQL;
// - on a GZIP data file (every real delivery) it breaks the connection: Node reads no HTTP answer.
// Both are "this endpoint cannot run S3 Select" (exit 3, one line, nothing uploaded), never a
// retry and never a short manifest. The local engine reads the same delivery from the same store.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3For } from '../support/clients.js';
import { target, uniqueBucket } from '../support/servers.js';
import {
  buildManifest,
  createBuckets,
  deliver,
  errorLines,
  listAll,
  outDir,
  readOut,
  type SelectFixture,
} from './select-fixtures.js';

const t = target();
const f: SelectFixture = {
  t,
  s3: s3For(t),
  src: uniqueBucket('sel-src'),
  dest: uniqueBucket('sel-dest'),
  kmsKey: t.kmsKeyIds[0] ?? 's3e-key-1',
};
const dirs: string[] = [];

beforeAll(async () => {
  await createBuckets(f);
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('build-manifest --engine select on Ceph RGW 16.2', () => {
  it('the local engine reads the delivery from this store (the data and the store are fine)', async () => {
    await deliver(f, 'local', 'gzip');
    const out = await outDir();
    dirs.push(out);
    const r = await buildManifest(f, 'local', 'local', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const files = await readOut(out);
    expect(Object.keys(files)).toContain('copy-STANDARD.csv');
    expect(files['copy-STANDARD.csv']?.split('\n').filter(Boolean)).toHaveLength(10);
  });

  it('an uncompressed copy: RGW answers its SQL parse failure as records -> exit 3, one line, nothing written', async () => {
    await deliver(f, 'plain', 'plain');
    const before = await listAll(f);
    const r = await buildManifest(f, 'plain', 'select');
    expect(errorLines(r), r.stderr).toEqual([
      expect.stringMatching(
        /^error: this endpoint cannot run S3 Select: drop --engine select \(its answer is not the quoted CSV asked for; it begins "<Payload> <Records> <Payload> failure -->SELECT s\._1, s\._2, .* FROM S3Object s<---/,
      ),
    ]);
    expect(r.stderr).not.toMatch(/retry/i);
    expect(r.code).toBe(3);
    expect(await listAll(f)).toEqual(before);
  });

  it('the GZIP delivery: RGW breaks the connection -> exit 3, one line, never "retry"', async () => {
    await deliver(f, 'gzip', 'gzip');
    const before = await listAll(f);
    const r = await buildManifest(f, 'gzip', 'select');
    expect(errorLines(r), r.stderr).toEqual([
      expect.stringMatching(
        /^error: this endpoint cannot run S3 Select: drop --engine select \((its answer is not HTTP \(HPE_[A-Z_]+|it closed the connection \(E[A-Z]+)/,
      ),
    ]);
    expect(r.stderr).not.toMatch(/retry/i);
    expect(r.code).toBe(3);
    expect(await listAll(f)).toEqual(before);
  });
});
