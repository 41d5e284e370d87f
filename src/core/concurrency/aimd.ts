/**
 * Adaptive in-flight limit (AIMD, as TCP congestion control): every request takes a permit;
 * throttling halves the limit (at most once per cool-down, so one burst of 503s counts once),
 * and after a cut each success adds 1/limit, so the limit climbs back by about one per round of
 * requests. The limit never drops below 1 nor rises above `max`.
 *
 * Fixed ceiling (`start` = `max`, an explicit --concurrency): the limit starts at the ceiling,
 * only comes down on throttling and climbs back to the ceiling. Adaptive (`start` < `max`):
 * where the store is far away (a request costs tens of ms) the right limit depends on the
 * network, so the limit finds itself. Slow start doubles it every measuring window while
 * completions per second rise by more than GROWTH. Where doubling brought nothing (two windows
 * in a row), the store or the CPU is the bottleneck: the limit stays there (the plateau), and
 * grows past it by an eighth only when a window beats the best rate so far. A throttle ends slow start too; from then
 * on the store's 503s say where its limit is, and the limit probes upwards by one per round up
 * to `max`, as TCP does.
 */
export class AimdLimiter {
  private limit: number;
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private lastCut = Number.NEGATIVE_INFINITY;
  private readonly adaptive: boolean;
  /** How far additive growth may take the limit: `max`, or the plateau slow start found. */
  private cap: number;
  private slowStart: boolean;
  private windowStart: number;
  private windowCount = 0;
  private bestRate = 0;
  /** The last window of slow start brought no growth. */
  private flat = false;
  /** Statistics for the summary: throttling answers, cuts made, the extremes of the limit. */
  throttles = 0;
  backoffs = 0;
  highest: number;
  /** Where the limit came down to on throttling (where it started until then). */
  get lowest(): number {
    return this.lowestCut ?? this.started;
  }
  private lowestCut: number | undefined;
  private readonly started: number;

  constructor(
    readonly max: number,
    private readonly now: () => number,
    private readonly coolDownMs = 1000,
    start = max,
    /** Shortest measuring window of the adaptive limit (a window also spans two rounds). */
    private readonly windowMs = 50,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`limit must be >= 1, got ${max}`);
    this.limit = Math.max(1, Math.min(max, start));
    this.started = this.current;
    this.highest = this.current;
    this.adaptive = this.limit < max;
    this.slowStart = this.adaptive;
    this.cap = max;
    this.windowStart = now();
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

  /** 503 SlowDown, 429, KMS throttling: counted, and the limit halves. */
  onThrottle(): void {
    this.throttles++;
    this.cut();
  }

  /** A connection the store reset or refused: the limit halves (not counted as a throttle). */
  onCongestion(): void {
    this.cut();
  }

  onSuccess(): void {
    if (!this.slowStart && this.limit < this.cap) {
      this.limit = Math.min(this.cap, this.limit + 1 / this.limit);
      this.highest = Math.max(this.highest, this.current);
      this.pump();
    }
    if (this.adaptive) this.measure();
  }

  private cut(): void {
    const t = this.now();
    if (t - this.lastCut < this.coolDownMs) return;
    this.lastCut = t;
    this.backoffs++;
    // The store throttles: its 503s, not a plateau of the rate, say where its limit is now.
    this.slowStart = false;
    this.cap = this.max;
    this.limit = Math.max(1, this.limit / 2);
    this.lowestCut = Math.min(this.lowestCut ?? this.current, this.current);
    this.resetWindow(t);
  }

  /** One measuring window: at least `windowMs` and two rounds of the limit's requests. */
  private measure(): void {
    this.windowCount++;
    const t = this.now();
    const elapsed = t - this.windowStart;
    if (elapsed < this.windowMs || this.windowCount < 2 * this.current) return;
    const rate = this.windowCount / elapsed;
    const grew = rate > this.bestRate * GROWTH;
    if (this.slowStart) {
      // Two flat windows in a row end it: one can be a hiccup of a busy machine.
      if (grew) this.grow(this.limit * 2);
      else if (this.flat) {
        this.slowStart = false;
        this.cap = this.current;
      }
      this.flat = !grew;
    } else if (grew && this.limit >= this.cap && this.cap < this.max) {
      this.cap = Math.min(this.max, this.cap + Math.max(1, Math.floor(this.cap / 8)));
      this.grow(this.cap);
    }
    this.bestRate = Math.max(this.bestRate, rate);
    this.resetWindow(t);
  }

  private grow(to: number): void {
    this.limit = Math.min(this.max, to);
    this.highest = Math.max(this.highest, this.current);
    if (this.limit >= this.max) this.slowStart = false;
    this.pump();
  }

  private resetWindow(t: number): void {
    this.windowStart = t;
    this.windowCount = 0;
  }

  private pump(): void {
    while (this.waiters.length > 0 && this.inFlight < this.current) {
      this.inFlight++;
      this.waiters.shift()?.();
    }
  }
}

/** A window's completions per second must beat the best so far by this factor to count as growth. */
const GROWTH = 1.1;

/**
 * The limit without --concurrency: starts modestly (a store that throttles early is not hit
 * with hundreds of requests at once) and may grow up to a safety ceiling (memory, sockets).
 * @internal
 */
export const ADAPTIVE = { start: 8, ceiling: 256 } as const;

/** The run's limiter: `concurrency` a fixed ceiling, or undefined for the adaptive limit. */
export function limiterFor(concurrency: number | undefined, clock: { now(): number }): AimdLimiter {
  const now = (): number => clock.now();
  return concurrency === undefined
    ? new AimdLimiter(ADAPTIVE.ceiling, now, 1000, ADAPTIVE.start)
    : new AimdLimiter(concurrency, now);
}
