/**
 * Keeps the progress line current on a terminal: redrawn every 250 ms whether or not work
 * finished in between (a long copy still shows its rate falling and the clock running), from
 * whatever `view()` says now. Nothing at all happens when stderr is not a terminal.
 */
import { formatCount } from '../core/format.js';
import type { Output } from './output.js';
import { RateWindow, renderProgress, type ProgressView } from './progress.js';

/** @internal */
export const REDRAW_MS = 250;

export class LiveProgress {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly rates = new RateWindow();

  constructor(
    private readonly out: Output,
    /** The state to draw; `rate` is measured here from `done` unless the view gives it. */
    private readonly view: () => ProgressView,
    private readonly now: () => number = Date.now,
  ) {}

  start(): this {
    if (!this.out.interactive || this.timer) return this;
    this.draw();
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    // Progress never keeps the process alive.
    this.timer.unref();
    return this;
  }

  draw(): void {
    if (!this.out.interactive) return;
    const v = this.view();
    this.rates.add(this.now(), v.done);
    this.out.progress(renderProgress({ ...v, rate: v.rate ?? this.rates.rate() }, this.out.columns));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.out.clearProgress();
  }
}

/**
 * The progress of an inventory read (build-manifest, verify --inventory): data files read of
 * the delivery's total, with rows and rows/s as facts. Files take long and end together, so
 * the rate behind the ETA is the whole run's, not the last seconds'.
 */
export function inventoryProgress(
  out: Output,
  now: () => number = Date.now,
): { live: LiveProgress; onProgress: (rows: number, files: { done: number; total: number }) => void } {
  const started = now();
  let rows = 0;
  let files = { done: 0, total: 0 };
  const seconds = (): number => Math.max(0.001, (now() - started) / 1000);
  const live = new LiveProgress(
    out,
    () => ({
      done: files.done,
      total: files.total > 0 ? files.total : undefined,
      unit: 'data files',
      rate: files.done / seconds(),
      extras: [`${formatCount(rows)} rows`, `${formatCount(Math.round(rows / seconds()))} rows/s`],
    }),
    now,
  );
  return {
    live,
    onProgress: (r, f) => {
      const fileEnded = f.done !== files.done;
      rows = r;
      files = { done: f.done, total: f.total };
      // The bar moves when a file ends: drawn then, not up to 250 ms later (or never, on a quick read).
      if (fileEnded) live.draw();
    },
  };
}

/**
 * inventoryProgress as a use case's events: `start` when the data files are about to be read
 * (the clock of its rate starts there), `progress` from the scan, `stopped` at the end.
 */
export function inventoryProgressEvents(out: Output): {
  start: () => void;
  progress: (rows: number, files: { done: number; total: number }) => void;
  stopped: () => void;
} {
  let p: ReturnType<typeof inventoryProgress> | undefined;
  return {
    start: () => {
      p = inventoryProgress(out);
      p.live.start();
    },
    progress: (rows, files) => p?.onProgress(rows, files),
    stopped: () => p?.live.stop(),
  };
}
