import { Category, categoryOf, type ObjectResult } from './types.js';

export interface CountBytes {
  objects: number;
  bytes: number;
}

const zero = (): CountBytes => ({ objects: 0, bytes: 0 });

/** Constant-size counters of a run (reasons are a small fixed vocabulary). */
export class EncryptTally {
  readonly byCategory: Record<Category, CountBytes> = Object.fromEntries(
    Object.values(Category).map((c) => [c, zero()]),
  ) as Record<Category, CountBytes>;
  readonly skippedByReason: Record<string, CountBytes> = {};
  /** Planned actions (dry run), by action. */
  readonly planned: Record<string, CountBytes> = {};
  processed = 0;
  bytes = 0;

  add(r: ObjectResult): void {
    this.processed++;
    this.bytes += r.bytes;
    if (r.outcome === 'planned') {
      const c = (this.planned[r.action] ??= zero());
      c.objects++;
      c.bytes += r.bytes;
      return;
    }
    const cat = categoryOf(r);
    this.byCategory[cat].objects++;
    this.byCategory[cat].bytes += r.bytes;
    if (cat === Category.SKIPPED) {
      const code = reasonCode(r.reason);
      const c = (this.skippedByReason[code] ??= zero());
      c.objects++;
      c.bytes += r.bytes;
    }
  }

  get failures(): number {
    return this.byCategory[Category.FAILED].objects;
  }

  /** Objects the store never showed: not done, not gone, not failed by anything they did. */
  get unverified(): number {
    return this.byCategory[Category.UNVERIFIED].objects;
  }

  /** Objects this run rewrote (and read back). */
  get written(): number {
    return (
      this.byCategory[Category.UPDATED].objects +
      this.byCategory[Category.COPIED].objects +
      this.byCategory[Category.MULTIPART_COPIED].objects
    );
  }
}

/** The stable code in front of "code: detail". */
export function reasonCode(reason: string | undefined): string {
  if (!reason) return 'unknown';
  const i = reason.indexOf(':');
  return i < 0 ? reason : reason.slice(0, i);
}
