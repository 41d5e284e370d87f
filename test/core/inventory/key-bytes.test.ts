import { describe, expect, it } from 'vitest';
import { writeManifestKey } from '../../../src/core/inventory/key-bytes.js';
import { inventoryToManifestKey } from '../../../src/core/inventory/keys.js';
import { encodeInventoryKey } from '../../int/support/inventory-delivery.js';

const view = (a: Uint8Array) => new DataView(a.buffer, a.byteOffset, a.byteLength);

/** The byte path's manifest key, or undefined where it leaves the key to the string path. */
function viaBytes(inventoryKey: string): string | undefined {
  const b = Buffer.from(`"${inventoryKey}"`, 'latin1');
  // Exactly the room the function asks for, after 4 bytes of something else: no write outside it.
  const out = new Uint8Array(4 + 3 * (b.length - 2)).fill(0xee);
  const end = writeManifestKey(b, view(b), 1, b.length - 1, out, view(out), 4);
  if (end < 0) return undefined;
  expect([...out.subarray(0, 4)]).toEqual([0xee, 0xee, 0xee, 0xee]);
  return Buffer.from(out.subarray(4, end)).toString('latin1');
}

describe('manifest keys from inventory key bytes', () => {
  it('match inventoryToManifestKey for every ASCII character, raw and escaped, both slash styles', () => {
    let taken = 0;
    for (let c = 1; c < 128; c++) {
      const key = `a${String.fromCharCode(c)}b/${String.fromCharCode(c)}`;
      for (const encoded of [
        encodeInventoryKey(key),
        encodeInventoryKey(key, 'literal'),
        `x%${c.toString(16).padStart(2, '0')}y`,
        `x%${c.toString(16).toUpperCase().padStart(2, '0')}y`,
      ]) {
        const bytes = viaBytes(encoded);
        if (bytes === undefined) continue;
        taken++;
        expect(bytes, encoded).toBe(inventoryToManifestKey(encoded));
      }
    }
    // Every escaped ASCII byte and every key S3 would write for them is done on bytes.
    expect(taken).toBe(127 * 4);
  });

  it('leave escaped UTF-8, malformed escapes and raw bytes that need escaping to the string path', () => {
    for (const k of ['euro%E2%82%AC', 'bad%zz', 'short%2', 'end%', 'raw space', 'raw,comma', 'a"b', '%80'])
      expect(viaBytes(k), k).toBeUndefined();
    // The string path decodes and re-encodes these the same way as before.
    expect(inventoryToManifestKey('euro%E2%82%AC')).toBe('euro%E2%82%AC');
  });

  it('read four bytes at a time wherever an escape falls: every offset, both ends of a word', () => {
    const plain = 'abcdefgh/ij';
    for (const mid of ['%2F', '+', '%41', '%7e', '%2B', '%25', '(', '~']) {
      for (let before = 0; before <= 9; before++) {
        for (let after = 0; after <= 9; after++) {
          const key = plain.slice(0, before) + mid + plain.slice(0, after);
          expect(viaBytes(key), key).toBe(inventoryToManifestKey(key));
        }
      }
    }
    // And what the string path must take, wherever it falls.
    for (const bad of ['%E2%82%AC', '%zz', ' ', ',', '%8', '%']) {
      for (let before = 0; before <= 9; before++) {
        for (let after = 0; after <= 9; after++) {
          const key = plain.slice(0, before) + bad + plain.slice(0, after);
          expect(viaBytes(key), key).toBeUndefined();
        }
      }
    }
  });

  it('keep the common shapes cheap and exact', () => {
    expect(viaBytes('logs%2F2026%2Fa+b.txt')).toBe('logs/2026/a%20b.txt');
    expect(viaBytes('plus%2Bsign')).toBe('plus%2Bsign');
    expect(viaBytes('')).toBe('');
    expect(viaBytes("keep-_.!~*'()")).toBe("keep-_.!~*'()");
    expect(viaBytes('tilde%7E%21%27%28%29')).toBe("tilde~!'()");
  });
});
