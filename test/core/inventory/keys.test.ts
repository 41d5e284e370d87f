import { describe, expect, it } from 'vitest';
import { encodeVersionId } from '../../../src/core/inventory/keys.js';

describe('encodeVersionId', () => {
  it.each([
    'null',
    '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
    "a-b_c.d!e~f*g'h(i)j",
    'has+plus',
    'has/slash',
    'has space',
    'per%cent',
    'comma,semi;colon:',
    'ünï',
    '',
  ])('is encodeURIComponent for %j', (v) => {
    expect(encodeVersionId(v)).toBe(encodeURIComponent(v));
  });
});
