import { ALL_CLASSES, EncryptionClass } from '../encryption/classify.js';

export interface Verdict {
  key: string;
  versionId?: string | undefined;
  /** False for noncurrent versions (only listed with --all-versions). */
  isLatest: boolean;
  class: EncryptionClass;
  size?: number | undefined;
  /** Why an `unverified` object could not be judged (the store's answer, in one line). */
  reason?: string | undefined;
}

export interface VerifySummary {
  checked: number;
  compliant: number;
  byClass: Record<EncryptionClass, number>;
  /** Bytes per class: each object's size as the HEAD (or, failing that, the listing) gave it. */
  bytesByClass: Record<EncryptionClass, number>;
  /** Objects that need work: seen, and not compliant. */
  offenders: number;
  /** Proved absent after the listing named them (not offenders, never compliant). */
  vanished: number;
  /** Listed but never seen: the store's answers proved nothing about them. */
  unverified: number;
}

/** Constant-size counters, so verify's memory does not grow with the bucket. */
export class Tally {
  private readonly counts = new Map<EncryptionClass, number>(ALL_CLASSES.map((c) => [c, 0]));
  private readonly bytes = new Map<EncryptionClass, number>(ALL_CLASSES.map((c) => [c, 0]));
  private count = 0;

  /** Objects added so far (cheap: read once per object for the progress line). */
  get checked(): number {
    return this.count;
  }

  add(v: Verdict): void {
    this.count++;
    this.counts.set(v.class, (this.counts.get(v.class) ?? 0) + 1);
    this.bytes.set(v.class, (this.bytes.get(v.class) ?? 0) + (v.size ?? 0));
  }

  summary(): VerifySummary {
    const byClass = Object.fromEntries(this.counts) as Record<EncryptionClass, number>;
    const compliant = byClass[EncryptionClass.COMPLIANT];
    const vanished = byClass[EncryptionClass.VANISHED];
    const unverified = byClass[EncryptionClass.UNVERIFIED];
    return {
      checked: this.count,
      compliant,
      byClass,
      bytesByClass: Object.fromEntries(this.bytes) as Record<EncryptionClass, number>,
      offenders: this.count - compliant - vanished - unverified,
      vanished,
      unverified,
    };
  }
}

/** Seen, and not where the target wants it: the objects that need work. @internal */
export function isOffender(v: Verdict): boolean {
  return (
    v.class !== EncryptionClass.COMPLIANT &&
    v.class !== EncryptionClass.VANISHED &&
    v.class !== EncryptionClass.UNVERIFIED
  );
}

/** Worth a line of its own in verify's output: an offender, or an object that could not be judged. */
export function isReported(v: Verdict): boolean {
  return isOffender(v) || v.class === EncryptionClass.UNVERIFIED;
}

/**
 * The exit-0 rule of verify, in one place: every listed object was seen compliant or proved
 * absent, and at least one object was examined (or the caller allows an empty result).
 */
export function isProvenCompliant(s: VerifySummary, opts: { allowEmpty?: boolean } = {}): boolean {
  if (s.checked === 0) return opts.allowEmpty === true;
  return s.offenders === 0 && s.unverified === 0;
}
