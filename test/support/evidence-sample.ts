// Sample evidence reports for the renderer's tests (unit and headless Chromium).
import type { EvidenceReport } from '../../src/output/evidence-report-model.js';

/** A key with every character HTML gives a meaning, a bidi override, and non-ASCII text. */
export const NASTY_KEY = `a/<script>alert("x")</script>&amp; 'q' \u202eevil.exe ünï 日本`;

export function verifySample(over: Partial<EvidenceReport> = {}): EvidenceReport {
  return {
    kind: 'verify',
    tool: { name: 's3-encrypt', version: '0.1.0' },
    subject: 's3://data-1/logs/',
    generatedAt: '2026-12-07T03:00:00.000Z',
    identity: {
      account: '111122223333',
      principalArn: 'arn:aws:sts::111122223333:assumed-role/Auditor/alice',
    },
    targetKey: {
      id: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      checked: true,
    },
    scope: [
      { label: 'Bucket', value: 'data-1' },
      { label: 'Prefix', value: 'logs/' },
    ],
    outcome: {
      verdict: 'NOT COMPLIANT',
      headline: 'NOT COMPLIANT: 3 of 10 objects need work',
      exitCode: 1,
      passed: false,
    },
    totals: { objects: 10, bytes: 6000, compliant: 7, needWork: 3, unknown: 0, deleted: 0 },
    classes: [
      { class: 'compliant', objects: 7, bytes: 4000 },
      { class: 'NOT-SSE', objects: 2, bytes: 1500 },
      { class: 'SSE-S3', objects: 1, bytes: 500 },
    ],
    byVerdict: {
      unit: 'objects',
      counts: [
        { verdict: 'compliant', count: 7 },
        { verdict: 'needs-work', count: 3 },
        { verdict: 'unknown', count: 0 },
        { verdict: 'deleted', count: 0 },
      ],
    },
    rows: [
      { class: 'compliant', objects: 7, bytes: 4000, verdict: 'compliant' },
      { class: 'NOT-SSE', objects: 2, bytes: 1500, verdict: 'needs-work' },
      { class: 'SSE-S3', objects: 1, bytes: 500, verdict: 'needs-work' },
    ],
    offenders: {
      shown: [
        { key: NASTY_KEY, versionId: null, class: 'NOT-SSE' },
        { key: 'logs/b', versionId: 'v2', class: 'NOT-SSE' },
      ],
      total: 3,
    },
    records: {
      sha256: 'ab'.repeat(32),
      content: 'one line per object that needs work or could not be verified, then the summary line',
      lines: 4,
      bytes: 400,
      printed: true,
    },
    warnings: [],
    notes: [],
    ...over,
  };
}

/** An audit-shaped report: a row per bucket, one unreadable, buckets by verdict. */
export function auditSample(): EvidenceReport {
  return verifySample({
    kind: 'audit',
    subject: '3 buckets in 1 account',
    scope: [{ label: 'Accounts', value: '111122223333' }],
    outcome: {
      verdict: 'NOT COMPLIANT',
      headline: '1 of 3 buckets needs work, 1 unknown',
      exitCode: 1,
      passed: false,
    },
    totals: { buckets: 3, objects: 12, bytes: 9000, compliant: 1, needWork: 1, unknown: 1 },
    classes: [
      { class: 'compliant', objects: 6, bytes: 5000 },
      { class: 'SSE-S3', objects: 5, bytes: 3000 },
      { class: 'NOT-SSE', objects: 1, bytes: 1000 },
    ],
    byVerdict: {
      unit: 'buckets',
      counts: [
        { verdict: 'compliant', count: 1 },
        { verdict: 'needs-work', count: 1 },
        { verdict: 'unknown', count: 1 },
      ],
    },
    rows: [
      { bucket: 'good', region: 'us-east-1', objects: 5, bytes: 5000, verdict: 'compliant' },
      {
        bucket: 'bad',
        region: 'eu-west-1',
        objects: 7,
        bytes: 4000,
        verdict: 'needs-work',
        note: 's3-encrypt plan --bucket bad --kms-key alias/app',
      },
      {
        bucket: 'secret',
        objects: null,
        bytes: null,
        verdict: 'unknown',
        note: 'AccessDenied: s3:GetBucketEncryption',
      },
    ],
    offenders: { shown: [{ bucket: 'bad', key: 'x<y', versionId: null, class: 'SSE-S3' }], total: 1 },
  });
}
