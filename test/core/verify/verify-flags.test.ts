import { describe, expect, it } from 'vitest';
import { verifySourceOf } from '../../../src/core/verify/verify-flags.js';

describe('verifySourceOf and --max-rate', () => {
  it('--max-rate goes with --live', () => {
    expect(verifySourceOf({ live: true, maxRate: 100 })).toBe('live');
  });

  it('--max-rate with --inventory is refused: the inventory sends no request per object', () => {
    expect(() => verifySourceOf({ live: false, inventory: 's3://d/p', maxRate: 100 })).toThrow(
      '--max-rate applies to --live',
    );
  });
});
