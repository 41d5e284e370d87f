/**
 * The one writer for everything the tool prints. Commands and use cases never touch stdout or
 * stderr themselves. The rules:
 * - human mode: results go to stdout, warnings, errors and progress to stderr;
 * - --json mode: stdout carries only JSON (one document, or JSON lines for streams); all human
 *   text goes to stderr;
 * - progress only on a TTY; colour only on a TTY and only without --no-color / NO_COLOR;
 * - warnings, errors and debug lines never carry a raw control character: whatever user input or
 *   store answer they quote, it cannot move the cursor, recolour or forge a line.
 */
import { printable } from '../core/format.js';

export interface Sink {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
  /** A terminal's width (Node keeps it current on resize); undefined elsewhere. */
  columns?: number | undefined;
}

export interface OutputOptions {
  json: boolean;
  color: boolean;
  verbose: boolean;
}

/** Plain functions (no `this`): renderers take the ones they use out of `out.style`. */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
}

const wrap = (on: boolean, open: number, close: number) => (s: string) =>
  on ? `\u001b[${open}m${s}\u001b[${close}m` : s;

/** Sees what a run records and warns, printed or not (the evidence report is built from them). */
export interface OutputObserver {
  /** A record line exactly as --json writes it, "\n" included. */
  record?(line: string): void;
  warn?(text: string): void;
}

export class Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly style: Style;
  private progressShown = false;
  private readonly observers: OutputObserver[] = [];

  constructor(
    private readonly stdout: Sink,
    private readonly stderr: Sink,
    opts: OutputOptions,
  ) {
    this.json = opts.json;
    this.verbose = opts.verbose;
    const on = opts.color && stderr.isTTY === true && stdout.isTTY === true;
    this.style = {
      bold: wrap(on, 1, 22),
      dim: wrap(on, 2, 22),
      red: wrap(on, 31, 39),
      green: wrap(on, 32, 39),
      yellow: wrap(on, 33, 39),
    };
  }

  /** A machine-readable record: one JSON line on stdout in --json mode, nothing otherwise. */
  record(value: unknown): void {
    if (!this.json && this.observers.length === 0) return;
    const line = `${JSON.stringify(value)}\n`;
    for (const o of this.observers) o.record?.(line);
    if (this.json) this.stdout.write(line);
  }

  /** Adds an observer of every later record() and warn(). */
  observe(observer: OutputObserver): void {
    this.observers.push(observer);
  }

  /** The command's human result text: stdout in human mode, stderr in --json mode. */
  say(text = ''): void {
    this.clearProgress();
    (this.json ? this.stderr : this.stdout).write(`${text}\n`);
  }

  /** Both renderings of one result: JSON on stdout with --json, `text` on stdout otherwise. */
  result(value: unknown, text: string): void {
    if (this.json) this.record(value);
    else this.say(text);
  }

  warn(text: string): void {
    for (const o of this.observers) o.warn?.(text);
    this.clearProgress();
    this.stderr.write(`${this.style.yellow('warning:')} ${lines(text)}\n`);
  }

  error(text: string): void {
    this.clearProgress();
    this.stderr.write(`${this.style.red('error:')} ${printable(text)}\n`);
  }

  debug(text: string): void {
    if (!this.verbose) return;
    this.clearProgress();
    this.stderr.write(`${this.style.dim(`debug: ${lines(text)}`)}\n`);
  }

  /** True when a live progress line makes sense (stderr is a terminal). */
  get interactive(): boolean {
    return this.stderr.isTTY === true;
  }

  /** Width of the terminal progress is drawn on; undefined when it does not say. */
  get columns(): number | undefined {
    return this.stderr.columns;
  }

  /** Replace the progress line in place; a no-op when stderr is not a terminal. */
  progress(line: string): void {
    if (!this.interactive) return;
    this.stderr.write(`\r\u001b[2K${line}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.stderr.write('\r\u001b[2K');
    this.progressShown = false;
  }
}

/** Multi-line text with each line made printable (the line breaks themselves are kept). */
function lines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
