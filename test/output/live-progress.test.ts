import { afterEach, describe, expect, it, vi } from 'vitest';
import { inventoryProgress, LiveProgress, REDRAW_MS } from '../../src/output/live-progress.js';
import { Output, type Sink } from '../../src/output/output.js';

function sinks(tty: boolean, columns?: number) {
  const written = { stdout: '', stderr: '' };
  const stdout: Sink = { write: (s: string) => (written.stdout += s), isTTY: tty };
  const stderr: Sink = { write: (s: string) => (written.stderr += s), isTTY: tty, columns };
  return { written, stdout, stderr };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveProgress', () => {
  it('draws on a terminal every 250 ms from the current state, and clears the line when stopped', () => {
    vi.useFakeTimers();
    const { written, stdout, stderr } = sinks(true, 100);
    const out = new Output(stdout, stderr, { json: false, color: false, verbose: false });
    let done = 0;
    let now = 0;
    const live = new LiveProgress(
      out,
      () => ({ done, total: 100, unit: 'objects' }),
      () => now,
    ).start();
    expect(written.stderr).toContain('0/100 objects');
    for (let i = 0; i < 8; i++) {
      done += 5;
      now += REDRAW_MS;
      vi.advanceTimersByTime(REDRAW_MS);
    }
    expect(written.stderr).toContain('40/100 objects');
    // Two seconds of samples: a rate (20/s) and an ETA (60 left: 3s).
    expect(written.stderr).toContain('20/s  ETA 3s');
    expect(written.stdout).toBe('');
    live.stop();
    expect(written.stderr.endsWith('\r\u001b[2K')).toBe(true);
    const before = written.stderr;
    vi.advanceTimersByTime(REDRAW_MS * 4);
    expect(written.stderr).toBe(before);
  });

  it('writes nothing and starts no timer when stderr is not a terminal (also with --json)', () => {
    vi.useFakeTimers();
    for (const json of [false, true]) {
      const { written, stdout, stderr } = sinks(false);
      const out = new Output(stdout, stderr, { json, color: false, verbose: false });
      const view = vi.fn(() => ({ done: 1, total: 2, unit: 'objects' }));
      const live = new LiveProgress(out, view).start();
      vi.advanceTimersByTime(REDRAW_MS * 4);
      live.stop();
      expect(view).not.toHaveBeenCalled();
      expect(written).toEqual({ stdout: '', stderr: '' });
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  it('with --json on a terminal, progress goes to stderr and never to stdout', () => {
    vi.useFakeTimers();
    const { written, stdout, stderr } = sinks(true, 80);
    const out = new Output(stdout, stderr, { json: true, color: false, verbose: false });
    const live = new LiveProgress(out, () => ({ done: 1, total: 2, unit: 'objects' })).start();
    vi.advanceTimersByTime(REDRAW_MS * 2);
    live.stop();
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain('1/2 objects');
  });

  it('fits the line to the width the stream reports', () => {
    const { written, stdout, stderr } = sinks(true, 40);
    const out = new Output(stdout, stderr, { json: false, color: false, verbose: false });
    new LiveProgress(out, () => ({
      done: 5,
      total: 9_000_000,
      unit: 'objects',
      extras: ['x'.repeat(50)],
    })).draw();
    const line = written.stderr.replace('\r\u001b[2K', '');
    expect(line.length).toBeLessThanOrEqual(39);
    expect(line).toContain('5/9,000,000');
  });
});

describe('inventoryProgress', () => {
  it('counts data files of the delivery, with rows and rows/s, and an ETA from the whole run', () => {
    const { written, stdout, stderr } = sinks(true, 120);
    const out = new Output(stdout, stderr, { json: false, color: false, verbose: false });
    let now = 0;
    const p = inventoryProgress(out, () => now);
    now = 10_000;
    p.onProgress(50_000, { done: 2, total: 10 });
    p.live.draw();
    expect(written.stderr).toContain('20%  2/10 data files  0.2/s  ETA 40s  50,000 rows  5,000 rows/s');
  });
});
