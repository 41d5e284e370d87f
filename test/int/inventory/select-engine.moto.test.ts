// build-manifest --engine select against moto's S3 Select (moto 5.2, py_partiql_parser), end to
// end with the built CLI. No query form that AWS documents for a header-less CSV gives moto's
// parser what the engine needs: it projects no scalar column (`s._1` with the alias raises
// KeyError 's'; `_1, _2` without it raises KeyError '_2' on the empty document it makes of the
// file's final newline), splits CSV lines on ',' without quote handling, and `SELECT *` turns
// every quoted inventory field into a lone backslash. Each of these is an HTTP 500 or garbage,
// so on moto the engine must say "this endpoint cannot run S3 Select" (exit 3, one line,
// nothing uploaded), for real GZIP deliveries and uncompressed copies alike, never "retry".
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
import { rm } from 'node:fs/promises';

const t = target();
const f: SelectFixture = {
  t,
  s3: s3For(t),
  src: uniqueBucket('sel-src'),
  dest: uniqueBucket('sel-dest'),
  kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
};
const dirs: string[] = [];

beforeAll(async () => {
  await createBuckets(f);
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('build-manifest --engine select on moto', () => {
  it('the local engine reads the delivery from this store (the data and the store are fine)', async () => {
    await deliver(f, 'local', 'gzip');
    const out = await outDir();
    dirs.push(out);
    const r = await buildManifest(f, 'local', 'local', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect((await readOut(out))['copy-STANDARD.csv']?.split('\n').filter(Boolean)).toHaveLength(10);
  });

  it.each(['gzip', 'plain'] as const)(
    'a %s delivery: moto answers HTTP 500 -> exit 3, one line, nothing uploaded',
    async (form) => {
      await deliver(f, form, form);
      const before = await listAll(f);
      const r = await buildManifest(f, form, 'select');
      expect(errorLines(r), r.stderr).toEqual([
        expect.stringMatching(
          /^error: this endpoint cannot run S3 Select: drop --engine select \(it answered HTTP 500 after \d+ tries \(its error body is not S3 XML\), reading inv\/.*\/data\/[0-9a-f-]+\.csv(\.gz)?; the default engine reads the same files\)$/,
        ),
      ]);
      expect(r.stderr).not.toMatch(/retry/i);
      expect(r.code).toBe(3);
      expect(await listAll(f)).toEqual(before);
    },
  );
});
