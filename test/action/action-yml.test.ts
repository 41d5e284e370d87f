// action.yml and action/verify.mjs agree: every input reaches the step, every S3E_* variable the
// step sets is one verify.mjs reads (and the reverse), and no input is pasted into a shell line.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
const script = readFileSync(new URL('../../action/verify.mjs', import.meta.url), 'utf8');

/** The keys directly under a top-level block (two-space indent), e.g. the input names. */
function keysOf(block: string): string[] {
  const body = yml.split(new RegExp(`^${block}:\\n`, 'm'))[1]?.split(/^\S/m)[0] ?? '';
  return [...body.matchAll(/^ {2}([a-z][a-z-]*):/gm)].map((m) => m[1] ?? '');
}

it('every input but node-version reaches the verify step as an S3E_* variable', () => {
  const inputs = keysOf('inputs');
  expect(inputs).toEqual(
    expect.arrayContaining(['bucket', 'kms-key', 'mode', 'region', 'require-bucket-key']),
  );
  const mapped = [...yml.matchAll(/^ {8}(S3E_[A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm)];
  expect(mapped.map((m) => m[2]).sort()).toEqual(inputs.filter((i) => i !== 'node-version').sort());
  expect(yml).toContain('node-version: ${{ inputs.node-version }}');
  const read = new Set([...script.matchAll(/'(S3E_[A-Z_]+)'/g)].map((m) => m[1]));
  expect([...read].sort()).toEqual(mapped.map((m) => m[1]).sort());
});

it('no run line interpolates an input (script injection)', () => {
  for (const line of yml.split('\n').filter((l) => /^\s+run: /.test(l)))
    expect(line).not.toMatch(/\$\{\{\s*inputs\./);
});

it('the outputs come from the verify step', () => {
  expect(keysOf('outputs').sort()).toEqual(['exit-code', 'report']);
  expect(yml).toContain('value: ${{ steps.verify.outputs.exit-code }}');
  expect(yml).toContain('value: ${{ steps.verify.outputs.report }}');
  expect(script).toContain('`exit-code=${final}\\nreport=${report}\\n`');
});
