/**
 * Adaptive in-flight limit (AIMD, as TCP congestion control): every request takes a permit;
 * throttling halves the limit (at most once per cool-down, so one burst of 503s counts once),
 * each success adds 1/limit, so the limit climbs back by about one per round of requests.
 * The limit never drops below 1 nor rises above `max` (--concurrency).
 */
export class AimdLimiter {
  private limit: number;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private lastCut = Number.NEGATIVE_INFINITY;
  /** Statistics for the summary. */
  throttles = 0;
  lowest: number;

  constructor(
    readonly max: number,
    private readonly now: () => number,
    private readonly coolDownMs = 1000,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`limit must be >= 1, got ${max}`);
    this.limit = max;
    this.lowest = max;
  }

  /** Requests allowed in flight right now. */
  get current(): number {
    return Math.max(1, Math.floor(this.limit));
  }

  get active(): number {
    return this.inFlight;
  }

  async acquire(): Promise<void> {
    if (this.inFlight < this.current && this.waiters.length === 0) {
      this.inFlight++;
      return;
    }
    // The permit is handed over by pump(): inFlight is incremented there.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.inFlight--;
    this.pump();
  }

  onThrottle(): void {
    this.throttles++;
    const t = this.now();
    if (t - this.lastCut < this.coolDownMs) return;
    this.lastCut = t;
    this.limit = Math.max(1, this.limit / 2);
    this.lowest = Math.min(this.lowest, this.current);
  }

  onSuccess(): void {
    if (this.limit >= this.max) return;
    this.limit = Math.min(this.max, this.limit + 1 / this.limit);
    this.pump();
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.inFlight < this.current) {
      this.inFlight++;
      this.waiters.shift()?.();
    }
  }
}
