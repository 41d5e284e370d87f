// audit --json --report with a store whose error text is hostile (markup, U+2028, non-ASCII):
// the page names it (the row of an unknown bucket said "see problems", which the page did not
// show) as text, and its SHA-256 is sha256sum of what --json printed, byte for byte.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { AuditDirectory } from '../../src/core/audit/ports.js';
import { PreconditionError } from '../../src/core/errors.js';
import { fakeAuditDirectory, kmsKey } from '../support/audit-fakes.js';
import { fakeServices, fakeWorld } from '../support/fakes.js';
import { runCli } from '../support/run-cli.js';

const A = '111111111111';
const HOSTILE =
  'denied </style><script>alert(1)</script><img src=x onerror=alert(2)> \u2028 line \u202e évé 😀';

function hostile(inner: AuditDirectory): AuditDirectory {
  return {
    async open(p) {
      const a = await inner.open(p);
      return {
        ...a,
        inRegion(region) {
          const r = a.inRegion(region);
          return {
            ...r,
            encryption: {
              getEncryption: () => Promise.reject(new PreconditionError('Odd', HOSTILE, 'fix </p><b>it</b>')),
            },
          };
        },
      };
    },
  };
}

it('markup from the store is text on the page; the page hashes the printed lines', async () => {
  const world = {
    profiles: { '': A },
    calls: [] as string[],
    accounts: [
      { id: A, keys: { 'us-east-1': { 'alias/app': kmsKey(A, 'us-east-1', 'k') } }, buckets: { 'b-1': {} } },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 's3e-audit-hostile-'));
  const path = join(dir, 'r.html');
  const base = fakeServices(fakeWorld());
  const r = await runCli(['--json', 'audit', '--kms-key', 'alias/app', '--report', path], (c) => ({
    ...base(c),
    audit: hostile(fakeAuditDirectory(world)),
  }));
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toContain('\u2028');
  const html = readFileSync(path, 'utf8');
  const sha = /id="records-sha256">([0-9a-f]{64})</.exec(html)?.[1];
  expect(sha).toBe(createHash('sha256').update(Buffer.from(r.stdout, 'utf8')).digest('hex'));
  // The problem is on the page (its row's note), as text: controls as visible \uXXXX.
  expect(html).toContain(
    's3:GetEncryptionConfiguration: denied &lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; \\u2028 line \\u202e évé 😀',
  );
  expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>|<\/style><|\u2028|\u202e/);
});
