import { describe, expect, it } from 'vitest';
import { EncryptionClass } from '../../../src/core/encryption/classify.js';
import { isOffender, isProvenCompliant, isReported, Tally } from '../../../src/core/verify/tally.js';

describe('Tally', () => {
  it('counts per class; vanished and unverified objects are neither compliant nor offenders', () => {
    const t = new Tally();
    for (const c of [
      EncryptionClass.COMPLIANT,
      EncryptionClass.COMPLIANT,
      EncryptionClass.NOT_SSE,
      EncryptionClass.SSE_S3,
      EncryptionClass.VANISHED,
      EncryptionClass.UNVERIFIED,
    ])
      t.add({ key: 'k', isLatest: true, class: c });
    const s = t.summary();
    expect(s).toMatchObject({
      checked: 6,
      compliant: 2,
      offenders: 2,
      vanished: 1,
      unverified: 1,
    });
    expect(s.byClass[EncryptionClass.NOT_SSE]).toBe(1);
    expect(s.byClass[EncryptionClass.DSSE_KMS]).toBe(0);
    expect(isOffender({ key: 'k', isLatest: true, class: EncryptionClass.SSE_C })).toBe(true);
    expect(isOffender({ key: 'k', isLatest: true, class: EncryptionClass.VANISHED })).toBe(false);
    expect(isOffender({ key: 'k', isLatest: true, class: EncryptionClass.UNVERIFIED })).toBe(false);
    expect(isReported({ key: 'k', isLatest: true, class: EncryptionClass.UNVERIFIED })).toBe(true);
  });

  it('is proven compliant only when nothing needs work and nothing is unverified', () => {
    const only = (...classes: EncryptionClass[]) => {
      const t = new Tally();
      for (const c of classes) t.add({ key: 'k', isLatest: true, class: c });
      return isProvenCompliant(t.summary());
    };
    expect(only(EncryptionClass.COMPLIANT, EncryptionClass.VANISHED)).toBe(true);
    expect(only(EncryptionClass.COMPLIANT, EncryptionClass.UNVERIFIED)).toBe(false);
    expect(only(EncryptionClass.COMPLIANT, EncryptionClass.SSE_C)).toBe(false);
  });

  it('is not proven compliant when nothing was examined, unless an empty result is allowed', () => {
    const empty = new Tally().summary();
    expect(isProvenCompliant(empty)).toBe(false);
    expect(isProvenCompliant(empty, { allowEmpty: true })).toBe(true);
  });
});

describe('Tally bytes', () => {
  it('adds each object size to its class (the evidence report draws the share of bytes from them)', () => {
    const t = new Tally();
    t.add({ key: 'a', isLatest: true, class: EncryptionClass.COMPLIANT, size: 700 });
    t.add({ key: 'b', isLatest: true, class: EncryptionClass.COMPLIANT, size: 100 });
    t.add({ key: 'c', isLatest: true, class: EncryptionClass.NOT_SSE, size: 200 });
    t.add({ key: 'd', isLatest: true, class: EncryptionClass.VANISHED, size: 5 });
    const s = t.summary();
    expect(s.bytesByClass[EncryptionClass.COMPLIANT]).toBe(800);
    expect(s.bytesByClass[EncryptionClass.NOT_SSE]).toBe(200);
    expect(s.bytesByClass[EncryptionClass.VANISHED]).toBe(5);
    expect(s.bytesByClass[EncryptionClass.SSE_S3]).toBe(0);
  });
});
