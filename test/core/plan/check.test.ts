import { describe, expect, it } from 'vitest';
import { PreconditionError, ServiceError, UsageError } from '../../../src/core/errors.js';
import { readFact, worst, pass, warn, fail } from '../../../src/core/plan/check.js';

const src = { id: 'versioning', title: 'Versioning', action: 's3:GetBucketVersioning', on: 'bucket b' };

describe('readFact', () => {
  it('returns the value when the read works', async () => {
    expect(await readFact(src, async () => 'Enabled')).toEqual({ ok: true, value: 'Enabled' });
  });

  it('turns AccessDenied into a WARN that names the missing IAM action', async () => {
    const r = await readFact(src, async () => {
      throw new PreconditionError('AccessDenied', 'access denied: s3:GetBucketVersioning on bucket b');
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.check).toMatchObject({ id: 'versioning', status: 'WARN', title: 'Versioning' });
    expect(r.check.detail).toContain('access denied for s3:GetBucketVersioning on bucket b');
    expect(r.check.advice).toContain('grant s3:GetBucketVersioning');
  });

  it('turns other service failures into a WARN saying the check was skipped', async () => {
    const r = await readFact(src, async () => {
      throw new ServiceError('NotImplemented', 'GetBucketVersioning failed with NotImplemented');
    });
    expect(r.ok ? undefined : r.check.detail).toMatch(
      /^not checked: s3:GetBucketVersioning failed \(NotImplemented/,
    );
  });

  it.each(['NoSuchBucket', 'Unreachable', 'NoCredentials', 'UnknownKey'])(
    'rethrows %s: the run cannot continue',
    async (code) => {
      const err = new UsageError('boom', 'fix', code);
      await expect(readFact(src, async () => Promise.reject(err))).rejects.toBe(err);
    },
  );

  it('rethrows programming errors instead of hiding them in a WARN', async () => {
    await expect(readFact(src, async () => Promise.reject(new TypeError('x is undefined')))).rejects.toThrow(
      TypeError,
    );
  });
});

describe('worst', () => {
  it('is FAIL over WARN over PASS', () => {
    const p = pass('a', 'A', 'd', 'x');
    const w = warn('b', 'B', 'd', 'x');
    const f = fail('c', 'C', 'd', 'x');
    expect(worst([p])).toBe('PASS');
    expect(worst([p, w])).toBe('WARN');
    expect(worst([w, f, p])).toBe('FAIL');
  });
});
