import { ALL_CLASSES, EncryptionClass } from '../encryption/classify.js';

export interface Verdict {
  key: string;
  versionId?: string | undefined;
  /** False for noncurrent versions (only listed with --all-versions). */
  isLatest: boolean;
  class: EncryptionClass;
  size?: number | undefined;
}

export interface VerifySummary {
  checked: number;
  compliant: number;
  byClass: Record<EncryptionClass, number>;
  /** Objects that need work: everything checked that is neither compliant nor gone. */
  offenders: number;
}

/** Constant-size counters, so verify's memory does not grow with the bucket. */
export class Tally {
  private readonly counts = new Map<EncryptionClass, number>(ALL_CLASSES.map((c) => [c, 0]));
  private count = 0;

  /** Objects added so far (cheap: read once per object for the progress line). */
  get checked(): number {
    return this.count;
  }

  add(v: Verdict): void {
    this.count++;
    this.counts.set(v.class, (this.counts.get(v.class) ?? 0) + 1);
  }

  summary(): VerifySummary {
    const byClass = Object.fromEntries(this.counts) as Record<EncryptionClass, number>;
    const compliant = byClass[EncryptionClass.COMPLIANT];
    return {
      checked: this.count,
      compliant,
      byClass,
      offenders: this.count - compliant - byClass[EncryptionClass.GONE],
    };
  }
}

/** An object that vanished between listing and HEAD is not an offender: nothing unencrypted is left of it. */
export function isOffender(v: Verdict): boolean {
  return v.class !== EncryptionClass.COMPLIANT && v.class !== EncryptionClass.GONE;
}
