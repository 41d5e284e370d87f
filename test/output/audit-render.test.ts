import { describe, expect, it } from 'vitest';
import type { AuditSummary, BucketRecord } from '../../src/core/audit/records.js';
import { renderCsv, renderMarkdown, renderTable } from '../../src/output/audit-render.js';

const rec = (over: Partial<BucketRecord> = {}): BucketRecord => ({
  type: 'bucket',
  account: '111111111111',
  via: 'default credentials',
  bucket: 'my-bucket',
  region: 'us-east-1',
  defaultEncryption: {
    algorithm: 'AES256',
    kmsKey: null,
    bucketKey: false,
    blockedEncryptionTypes: [],
    targetKey: false,
  },
  versioning: 'Off',
  objectLock: false,
  inventory: null,
  objects: null,
  verdict: 'needs-work',
  reasons: ['default encryption: SSE-S3'],
  next: 's3-encrypt plan --bucket my-bucket --kms-key alias/app',
  cost: null,
  denied: [],
  problems: [],
  ...over,
});

const summary: AuditSummary = {
  type: 'summary',
  version: 1,
  kmsKey: 'alias/app',
  ranBy: null,
  accounts: [],
  skippedAccounts: [],
  startedAt: '2026-12-07T00:00:00.000Z',
  finishedAt: '2026-12-07T00:00:01.000Z',
  toolVersion: '0.1.0',
  sample: null,
  buckets: 1,
  compliant: 0,
  needsWork: 1,
  unknown: 0,
  unreadableAccounts: 0,
  byClass: {},
  costUsd: 0,
  unpriced: 1,
  exitCode: 1,
};

describe('audit renderings', () => {
  it('CSV: every cell quoted, quotes doubled, and a cell a spreadsheet would run as a formula defused', () => {
    const csv = renderCsv([rec({ reasons: ['=HYPERLINK("http://x")', 'a "quoted" word'] })]);
    const row = csv.split('\n')[1] ?? '';
    expect(row).toContain(`"'=HYPERLINK(""http://x""); a ""quoted"" word"`);
    expect(row.startsWith('"111111111111","my-bucket","us-east-1","SSE-S3"')).toBe(true);
  });

  it('Markdown escapes pipes, so a cell cannot open a column', () => {
    const md = renderMarkdown([rec({ next: 'a | b' })], summary);
    expect(md).toContain('a \\| b');
  });

  it('the table shows problems with control characters made visible, and marks samples', () => {
    const text = renderTable(
      [
        rec({
          problems: [{ action: 's3:GetBucketVersioning', code: 'AccessDenied', message: 'denied\u001b[31m' }],
          objects: {
            source: 'sample',
            sample: true,
            label: 'a sample of 2 object(s)',
            deliveredAt: null,
            byClass: { 'SSE-S3': { objects: 2, bytes: 4 } },
            objects: 2,
            bytes: 4,
            noncurrentUnencrypted: null,
            partial: false,
            warnings: [],
          },
        }),
      ],
      summary,
    );
    expect(text).not.toContain('\u001b');
    expect(text).toContain('denied\\u001b[31m');
    expect(text).toMatch(/SAMPLE 2 \(4 B\), 2 need work/);
    expect(text).toMatch(/1 bucket\(s\): 0 compliant, 1 need work, 0 unknown/);
  });
});
