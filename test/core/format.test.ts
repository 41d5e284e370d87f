import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../src/core/format.js';

describe('formatCount', () => {
  it('groups thousands as en-US does, for every integer and for fractions', () => {
    for (const n of [
      0,
      7,
      999,
      1000,
      -1000,
      10_000,
      123_456,
      1_234_567,
      -987_654_321,
      2 ** 53 - 1,
      12.5,
      0.125,
    ])
      expect(formatCount(n), String(n)).toBe(n.toLocaleString('en-US'));
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GiB');
  });
});
