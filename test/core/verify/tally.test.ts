import { describe, expect, it } from 'vitest';
import { EncryptionClass } from '../../../src/core/encryption/classify.js';
import { isOffender, Tally } from '../../../src/core/verify/tally.js';

describe('Tally', () => {
  it('counts per class; gone objects are neither compliant nor offenders', () => {
    const t = new Tally();
    for (const c of [
      EncryptionClass.COMPLIANT,
      EncryptionClass.COMPLIANT,
      EncryptionClass.NOT_SSE,
      EncryptionClass.SSE_S3,
      EncryptionClass.GONE,
    ])
      t.add({ key: 'k', isLatest: true, class: c });
    const s = t.summary();
    expect(s).toMatchObject({ checked: 5, compliant: 2, offenders: 2 });
    expect(s.byClass[EncryptionClass.NOT_SSE]).toBe(1);
    expect(s.byClass[EncryptionClass.DSSE_KMS]).toBe(0);
    expect(isOffender({ key: 'k', isLatest: true, class: EncryptionClass.SSE_C })).toBe(true);
    expect(isOffender({ key: 'k', isLatest: true, class: EncryptionClass.GONE })).toBe(false);
  });
});
