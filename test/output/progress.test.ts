import { describe, expect, it } from 'vitest';
import { bar, formatRate, RateWindow, renderProgress } from '../../src/output/progress.js';

const facts = ['99.6 KiB', '0 failed'];

describe('renderProgress', () => {
  it('shows a bar, percent, done/total, rate and ETA when the total is known', () => {
    const line = renderProgress({ done: 50, total: 200, unit: 'objects', rate: 10, extras: facts }, 120);
    expect(line).toMatch(/^\[#+-+\]\s+25%/);
    expect(line).toContain('  50/200 objects  10/s  ETA 15s  99.6 KiB  0 failed');
    expect(line.endsWith('0 failed')).toBe(true);
  });

  it('says "at least" and bounds percent and ETA while the total is still being counted', () => {
    const line = renderProgress({ done: 50, total: 1000, growing: true, unit: 'objects', rate: 50 }, 120);
    expect(line).toContain('<=5%');
    expect(line).toContain('50/at least 1,000 objects');
    expect(line).toContain('ETA >=19s');
  });

  it('shows a count and rate but no bar, percent or ETA without a total', () => {
    const line = renderProgress({ done: 844, unit: 'objects', rate: 98, extras: facts }, 120);
    expect(line).toBe('844 objects  98/s  99.6 KiB  0 failed');
  });

  it('treats a total of 0 as all done (no division by zero)', () => {
    const line = renderProgress({ done: 0, total: 0, unit: 'objects', rate: 0 }, 80);
    expect(line).toContain('100%');
    expect(line).toContain('0/0 objects');
    expect(line).not.toMatch(/NaN|Infinity/);
  });

  it('more done than the total makes the total a lower bound, never over 100%', () => {
    const line = renderProgress({ done: 210, total: 200, unit: 'objects', rate: 5 }, 120);
    expect(line).toContain('210/at least 210 objects');
    expect(line).toContain('<=100%');
    expect(line).not.toContain('ETA');
    expect(line).toMatch(/^\[#+\]/);
  });

  it('shows no rate and no ETA before a rate is known, or when it is not a number', () => {
    for (const rate of [undefined, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      const line = renderProgress({ done: 1, total: 10, unit: 'objects', rate }, 120);
      expect(line).not.toContain('ETA');
      expect(line).not.toContain('/s');
    }
  });

  it('formats long ETAs in hours and minutes', () => {
    const line = renderProgress({ done: 0, total: 1_000_000, unit: 'objects', rate: 100 }, 120);
    expect(line).toContain('ETA 2h46m');
  });

  it('never writes a line as wide as the terminal, at any width', () => {
    for (let columns = 1; columns <= 140; columns++)
      for (const view of [
        {
          done: 123_456,
          total: 9_876_543,
          unit: 'objects',
          rate: 1234.5,
          extras: ['1.2 TiB', '12,345 failed'],
        },
        { done: 5, total: 900, growing: true, unit: 'objects', rate: 3.3, extras: facts },
        { done: 844, unit: 'objects', rate: 98, extras: facts },
      ]) {
        const line = renderProgress(view, columns);
        expect(line.length, `${columns} columns: ${line}`).toBeLessThanOrEqual(Math.max(1, columns - 1));
      }
  });

  it('sizes the bar from the terminal width: wide terminals get the widest bar, narrow ones drop facts first', () => {
    const view = { done: 50, total: 200, unit: 'objects', rate: 10, extras: facts };
    expect(renderProgress(view, 200)).toMatch(/^\[[#-]{30}\] /);
    const narrow = renderProgress(view, 50);
    expect(narrow).toMatch(/^\[[#-]{10,}\] /);
    expect(narrow).toContain('50/200 objects');
    expect(narrow).not.toContain('0 failed');
    // No bar fits: the text alone, still with the counts.
    const tiny = renderProgress(view, 30);
    expect(tiny.startsWith('[')).toBe(false);
    expect(tiny).toContain('50/200');
  });

  it('falls back to 80 columns when the stream gives no width (or 0, a pty without a size)', () => {
    const view = { done: 50, total: 200, unit: 'objects', rate: 10, extras: ['x'.repeat(60)] };
    expect(renderProgress(view, undefined)).toBe(renderProgress(view, 80));
    expect(renderProgress(view, 0)).toBe(renderProgress(view, 80));
    expect(renderProgress(view, undefined).length).toBeLessThanOrEqual(79);
  });
});

describe('bar', () => {
  it('fills in proportion and is full only at 100%', () => {
    expect(bar(0, 10)).toBe('[----------]');
    expect(bar(0.5, 10)).toBe('[#####-----]');
    expect(bar(0.999, 10)).toBe('[#########-]');
    expect(bar(1, 10)).toBe('[##########]');
    expect(bar(7, 4)).toBe('[####]');
    expect(bar(-1, 4)).toBe('[----]');
  });
});

describe('formatRate', () => {
  it('keeps a decimal for slow rates only', () => {
    expect(formatRate(0.25)).toBe('0.3');
    expect(formatRate(9.94)).toBe('9.9');
    expect(formatRate(12_345.6)).toBe('12,346');
  });
});

describe('RateWindow', () => {
  it('knows no rate before a second has passed', () => {
    const w = new RateWindow();
    w.add(0, 0);
    w.add(500, 100);
    expect(w.rate()).toBeUndefined();
    w.add(1000, 150);
    expect(w.rate()).toBe(150);
  });

  it('measures the last window only, so a run that slows down shows it', () => {
    const w = new RateWindow(10_000);
    let count = 0;
    for (let t = 0; t <= 20_000; t += 250) {
      w.add(t, count);
      count += 25; // 100/s
    }
    expect(w.rate()).toBeCloseTo(100, 0);
    for (let t = 20_250; t <= 40_000; t += 250) {
      w.add(t, count);
      count += 2.5; // 10/s
    }
    expect(w.rate()).toBeCloseTo(10, 0);
  });

  it('ignores samples that go back in time', () => {
    const w = new RateWindow();
    w.add(0, 0);
    w.add(2000, 20);
    w.add(1000, 999);
    expect(w.rate()).toBe(10);
  });
});
