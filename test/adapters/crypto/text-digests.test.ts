// The digests the core is given: SHA-256 (job tokens) and MD5 (a single-PUT object's ETag) of UTF-8 text.
import { describe, expect, it } from 'vitest';
import { textDigests } from '../../../src/adapters/crypto/text-digests.js';

describe('textDigests', () => {
  it('hashes the UTF-8 bytes of the text', () => {
    expect(textDigests.sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(textDigests.md5Hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    // UTF-8 (c3 a9), as S3 stores the retry manifest's text; latin-1 would give 3406877694691ddd...
    expect(textDigests.md5Hex('\u00e9')).toBe('66ddcd97cfdeabb2f6fb8a999b4bc76f');
  });
});
