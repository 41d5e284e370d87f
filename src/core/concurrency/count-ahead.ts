/**
 * A second walk of a listing that only counts, run ahead of the workers that consume the first:
 * the progress line can say "at least N" while it runs and give a total (and an ETA) once it
 * ends, with memory for one page and a number, never the listing. It costs one more LIST
 * request per page (one per 1,000 keys on S3) against at least one HEAD per object for the work.
 * The count is for display only: it never decides what is processed, and a walk that fails or
 * is interrupted just stops counting.
 */
export class CountAhead {
  /** Items counted so far. */
  listed = 0;
  /** True once the walk reached the end of the listing. */
  complete = false;
  /** Why the walk stopped early, when it did. */
  failure: unknown;
  private stopped = false;
  /** Settles when the walk ends (never rejects). */
  readonly settled: Promise<void>;

  constructor(items: AsyncIterable<unknown>, counts: (item: unknown) => boolean = () => true) {
    this.settled = this.walk(items, counts);
  }

  /** Stop after the page in flight (the run ended first). */
  stop(): void {
    this.stopped = true;
  }

  private async walk(items: AsyncIterable<unknown>, counts: (item: unknown) => boolean): Promise<void> {
    try {
      for await (const item of items) {
        if (this.stopped) return;
        if (counts(item)) this.listed++;
      }
      this.complete = !this.stopped;
    } catch (err) {
      this.failure = err;
    }
  }
}

/** What the progress line shows as the total: known, at least some number, or nothing yet. */
export interface ListingTotal {
  total: number | undefined;
  growing: boolean;
}

/**
 * The total for the progress line, from the count walked ahead and the `done` count of the
 * workers: a finished count is the total, an unfinished one a lower bound, a failed one nothing.
 * More done than a finished count (objects written since it was taken) makes it a lower bound too.
 */
export function listingTotal(
  done: number,
  ahead: { listed: number; complete: boolean; failure?: unknown } | undefined,
): ListingTotal {
  // No count, or one that broke off: no total rather than a bar that "at least what is done" fills.
  if (ahead === undefined || ahead.failure !== undefined) return { total: undefined, growing: false };
  const listed = Math.max(ahead?.listed ?? 0, done);
  if (ahead?.complete && ahead.listed >= done) return { total: ahead.listed, growing: false };
  return { total: listed > 0 ? listed : undefined, growing: true };
}
