/**
 * The live progress line, as pure functions: what one redraw shows for a count of work done out
 * of a total that is known, still being counted ("at least N"), or unknown. The line always fits
 * the terminal: the bar shrinks first, then trailing facts are dropped, then the text is cut.
 * Our own ~100 lines rather than a library (cli-progress, progress, listr2): those draw on their
 * own timers straight to a stream, which would bypass the one writer (src/output/output.ts) that
 * keeps progress off stdout in --json runs and clears the line before any warning.
 */
import { formatCount } from '../core/format.js';
import { formatDuration } from './format.js';

export interface ProgressView {
  done: number;
  /** Units of work in all; undefined while nothing says how many. */
  total?: number | undefined;
  /** True while `total` is only what a listing still under way has counted so far. */
  growing?: boolean | undefined;
  /** What is counted, plural: "objects", "files". */
  unit: string;
  /** Units per second; no rate and no ETA while undefined or 0. */
  rate?: number | undefined;
  /** Further facts ("99.6 KiB", "0 failed"), dropped from the end first on a narrow terminal. */
  extras?: readonly string[] | undefined;
}

/** Assumed width when the stream does not say (not a terminal, or a pty of size 0). */
const DEFAULT_COLUMNS = 80;
const BAR_MAX = 30;
const BAR_MIN = 10;

/**
 * One progress line no longer than `columns - 1` (writing the last column makes some terminals
 * wrap, and a wrapped line can no longer be redrawn in place by a carriage return).
 */
export function renderProgress(view: ProgressView, columns: number | undefined): string {
  const width = Math.max(1, (columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS) - 1);
  const done = Math.max(0, view.done);
  let total = view.total;
  let growing = view.growing === true;
  // More done than the total says: the total was a count that the work outran (objects written
  // meanwhile); it is at least what is done.
  if (total !== undefined && done > total) {
    total = done;
    growing = true;
  }
  const rate = view.rate !== undefined && Number.isFinite(view.rate) && view.rate > 0 ? view.rate : undefined;
  const parts: string[] = [];
  let fraction: number | undefined;
  if (total === undefined) parts.push(`${formatCount(done)} ${view.unit}`);
  else {
    fraction = total === 0 ? 1 : done / total;
    const pct = `${Math.floor(fraction * 100)}%`;
    parts.push(growing ? `<=${pct}` : pct.padStart(4));
    parts.push(`${formatCount(done)}/${growing ? 'at least ' : ''}${formatCount(total)} ${view.unit}`);
  }
  if (rate !== undefined) parts.push(`${formatRate(rate)}/s`);
  if (total !== undefined && rate !== undefined && total > done)
    parts.push(`ETA ${growing ? '>=' : ''}${formatDuration((total - done) / rate)}`);
  const extras = [...(view.extras ?? [])];
  const text = (): string => [...parts, ...extras].join('  ');
  if (fraction !== undefined) {
    // The bar takes what the text leaves, within BAR_MIN..BAR_MAX cells plus its brackets.
    let room = width - text().length - 3;
    while (room < BAR_MIN && extras.length > 0) {
      extras.pop();
      room = width - text().length - 3;
    }
    if (room >= BAR_MIN) return `${bar(fraction, Math.min(BAR_MAX, room))} ${text()}`;
  }
  while (text().length > width && extras.length > 0) extras.pop();
  return cut(text(), width);
}

/** `[#####-----]` with `cells` cells, full only when `fraction` is 1. @internal */
export function bar(fraction: number, cells: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = f >= 1 ? cells : Math.min(cells - 1, Math.floor(f * cells));
  return `[${'#'.repeat(filled)}${'-'.repeat(cells - filled)}]`;
}

/** A rate as people read it: one decimal under 10/s, whole numbers above. @internal */
export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond));
}

function cut(s: string, width: number): string {
  return s.length <= width ? s : s.slice(0, width);
}

/**
 * Units per second over the last `windowMs` (a run that slows down shows it within seconds),
 * from samples of a growing count; pure, the caller passes the times.
 */
export class RateWindow {
  private readonly samples: { at: number; count: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  add(at: number, count: number): void {
    const last = this.samples.at(-1);
    if (last && at < last.at) return;
    if (last && at === last.at) last.count = count;
    else this.samples.push({ at, count });
    // Keep one sample at or before the window's start, so the window is always spanned.
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= at - this.windowMs) this.samples.shift();
  }

  /** Undefined until two samples at least 1 s apart exist. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < 1000) return undefined;
    return ((last.count - first.count) * 1000) / (last.at - first.at);
  }
}
