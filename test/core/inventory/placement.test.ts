import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../src/core/inventory/placement.js';

describe('sizeOf', () => {
  it.each([
    '',
    '0',
    '007',
    '76452746',
    '5368709121',
    '999999999999999',
    '9007199254740993',
    '123456789012345678901',
    ' 12',
    '12 ',
    '1e3',
    '0x10',
    '1.5',
    '-1',
    '+1',
    'abc',
    '12a',
    '١٢',
    'Infinity',
  ])('is Number(v) || 0 for %j', (v) => {
    expect(sizeOf(v)).toBe(Number(v) || 0);
  });
});
