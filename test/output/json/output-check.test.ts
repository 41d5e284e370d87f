// The check the test helpers (runCli, runBin) apply to every --json line they capture: a line
// that breaks its schema is named with the schema, the JSON path and the rule it broke.
import { describe, expect, it } from 'vitest';
import { checkJsonLine, checkJsonOutput, documentKind } from '../../support/json-output-check.js';

const summary = {
  checked: 1,
  compliant: 1,
  needWork: 0,
  vanished: 0,
  unverified: 0,
  byClass: {
    compliant: 1,
    'NOT-SSE': 0,
    'SSE-S3': 0,
    'SSE-KMS-other-key': 0,
    'SSE-KMS-no-bucket-key': 0,
    'SSE-C': 0,
    'DSSE-KMS': 0,
    vanished: 0,
    unverified: 0,
  },
  bytesByClass: {
    compliant: 3,
    'NOT-SSE': 0,
    'SSE-S3': 0,
    'SSE-KMS-other-key': 0,
    'SSE-KMS-no-bucket-key': 0,
    'SSE-C': 0,
    'DSSE-KMS': 0,
    vanished: 0,
    unverified: 0,
  },
  interrupted: false,
  pacing: { throttles: 0, backoffs: 0, highestConcurrency: 8 },
};
const verify = ['--json', 'verify', '--bucket', 'b', '--kms-key', 'alias/k', '--live'];

describe('checkJsonLine', () => {
  it('accepts what verify writes', () => {
    expect(checkJsonLine(verify, JSON.stringify({ summary }))).toBeUndefined();
    expect(
      checkJsonLine(verify, JSON.stringify({ key: 'a', versionId: null, class: 'NOT-SSE', isLatest: true })),
    ).toBeUndefined();
  });

  it('names the schema, the path and the rule of a line that breaks it', () => {
    const extra = checkJsonLine(verify, JSON.stringify({ summary: { ...summary, surprise: 1 } }));
    expect(extra).toContain('schema "verify-summary" (docs/json/verify-summary.schema.json)');
    expect(extra).toContain('at $.summary: unrecognized_keys');
    const wrongType = checkJsonLine(
      verify,
      JSON.stringify({ key: 'a', versionId: null, class: 'NOT-SSE', isLatest: 'yes' }),
    );
    expect(wrongType).toContain('schema "verify-record"');
    expect(wrongType).toContain('at $.isLatest: invalid_type');
    const notAClass = checkJsonLine(
      verify,
      JSON.stringify({ key: 'a', versionId: null, class: 'compliant', isLatest: true }),
    );
    expect(notAClass).toContain('at $.class: invalid_value');
    const missing = checkJsonLine(
      verify,
      JSON.stringify({ error: { code: 'X', message: 'm', exitCode: 2 } }),
    );
    expect(missing).toContain('schema "error"');
    expect(missing).toContain('at $.error.hint: invalid_type');
  });

  it('refuses a line that is not JSON, or that no schema describes', () => {
    expect(checkJsonLine(verify, 'COMPLIANT')).toContain('not JSON');
    expect(checkJsonLine(['--json', 'frobnicate'], '{"a":1}')).toContain('no JSON schema');
  });

  it('checkJsonOutput throws naming the line; ignores output without --json', () => {
    expect(() =>
      checkJsonOutput(verify, `${JSON.stringify({ summary })}\n{"summary":{}}\n`, 'test', { count: false }),
    ).toThrow(/stdout line 2: schema "verify-summary"/);
    expect(() => checkJsonOutput(verify.slice(1), 'COMPLIANT\n', 'test', { count: false })).not.toThrow();
    expect(() =>
      checkJsonOutput(['verify', '--', '--json'], 'COMPLIANT\n', 'test', { count: false }),
    ).not.toThrow();
  });
});

describe('documentKind', () => {
  it('tells the lines of each command apart by their shape', () => {
    expect(documentKind('verify', { summary: {} })).toBe('verify-summary');
    expect(documentKind('encrypt', { key: 'a' })).toBe('encrypt-record');
    expect(documentKind('audit', { type: 'account' })).toBe('audit-record');
    expect(documentKind('audit', { type: 'summary' })).toBe('audit-summary');
    expect(documentKind('create-job', { jobId: 'j' })).toBe('create-job-record');
    expect(documentKind('create-job', { dryRun: true, requests: [] })).toBe('create-job-dry-run');
    expect(documentKind('create-job', { dryRun: false, jobs: [] })).toBe('create-job-nothing-to-do');
    expect(documentKind('plan', { error: {} })).toBe('error');
    expect(documentKind('nothing', {})).toBeUndefined();
  });
});
