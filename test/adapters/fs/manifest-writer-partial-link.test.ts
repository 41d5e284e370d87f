// build-manifest --out writes summary.json through ".summary.json.partial" renamed over the target
// (writeAtomically, shared with the evidence report). A symbolic link left at that partial name
// in the --out directory was followed: the summary was written into whatever file it named.
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { manifestWriter } from '../../../src/adapters/fs/manifest-writer.js';

it('a symbolic link at the partial file name is not followed', async () => {
  const root = mkdtempSync(join(tmpdir(), 's3e-mw-partial-'));
  const dir = join(root, 'out');
  mkdirSync(dir);
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  symlinkSync(victim, join(dir, '.summary.json.partial'));
  const w = manifestWriter({ dir, keep: true });
  await w.open();
  const written = await w.writeFile('summary.json', '{"version":1}\n');
  expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  expect(lstatSync(written).isFile()).toBe(true);
  expect(readFileSync(written, 'utf8')).toBe('{"version":1}\n');
});
